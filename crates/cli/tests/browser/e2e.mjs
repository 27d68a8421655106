// End-to-end scenario of the Chancery reading room in Debian's Chromium, driven by
// Playwright (playwright-core: it never downloads a browser of its own).
//
//   node e2e.mjs BASE_URL ARTIFACT_DIR
//
// Run by crates/cli/tests/browser.rs, which ingests the shared corpus plus an XSS probe
// document (id "xss-probe") and starts `chancery serve` at BASE_URL. Every check below is
// run even when an earlier one failed; the script prints each result and exits 1 when any
// failed. Screenshots (PNG) go to ARTIFACT_DIR, also one per failed check.

import assert from "node:assert/strict";
import { readFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [base, artifacts] = process.argv.slice(2);
if (!base || !artifacts) {
  console.error("usage: node e2e.mjs BASE_URL ARTIFACT_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
for (const f of readdirSync(artifacts)) if (f.endsWith(".png")) rmSync(path.join(artifacts, f)); // no stale shots

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const D52 = "/doc/frus1955-57v23p1/d52";
const WILSON = "/doc/wilson-center/300264";
const PROBE_TEXT = "<script>window.__xss=1</script>";

// The machine has no network: keep Chromium from calling home. Playwright's launch() gives
// every run a fresh temporary user-data-dir of its own and removes it on close.
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
  timeout: 60_000,
});

const failures = [];
let current = null; // the page of the running check, for a screenshot when it fails

/** Run one named check; record its failure (with a screenshot) and go on. */
async function check(name, fn) {
  const t0 = Date.now();
  current = null;
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name} (${Date.now() - t0} ms)\n     ${String(e?.stack ?? e).split("\n").join("\n     ")}`);
    if (current && !current.isClosed()) {
      const file = path.join(artifacts, `FAILED-${name.replace(/[^a-z0-9]+/gi, "-")}.png`);
      await current.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`     screenshot: ${file}; url: ${current.url()}`);
    }
  }
}

/**
 * A page in `context` that fails on dialogs and collects console errors, uncaught
 * exceptions and CSP violations (reported separately: some checks allow them).
 */
async function open(context, viewport = DESKTOP) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.setDefaultTimeout(10_000);
  const log = { errors: [], csp: [], dialogs: [] };
  page.on("dialog", (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const text = m.text();
    (/Content Security Policy/i.test(text) ? log.csp : log.errors).push(text);
  });
  page.on("pageerror", (e) => log.errors.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A request the browser itself abandons because the page navigated on (the favicon of a
    // page left at once) is not a fault of the page.
    const why = r.failure()?.errorText ?? "";
    if (why === "net::ERR_ABORTED") return;
    log.errors.push(`request failed: ${r.url()} ${why}`);
  });
  current = page;
  return { page, log };
}

async function go(page, url) {
  const res = await page.goto(new URL(url, base).href, { waitUntil: "load" });
  assert.ok(res, `no response for ${url}`);
  assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
  return res;
}

/** Path names of the document links on the page (the search hits). */
async function docLinks(page) {
  const hrefs = await page.locator("main ol a[href^='/doc/']").evaluateAll((as) => as.map((a) => a.href));
  return hrefs.map((h) => new URL(h).pathname);
}

/** True when the element's box overlaps the viewport (the reader can see it without scrolling). */
async function inViewport(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  });
}

/** The element that has focus, described for assertions and messages. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: "body", text: "", id: "", type: "" };
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute("type") ?? "",
      role: el.getAttribute("role") ?? "",
      text: (el.textContent ?? "").trim().slice(0, 60),
      visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < innerHeight,
    };
  });
}

function noProblems(log, where, { allowCsp = false } = {}) {
  assert.deepEqual(log.dialogs, [], `${where}: a dialog fired`);
  assert.deepEqual(log.errors, [], `${where}: console errors`);
  if (!allowCsp) assert.deepEqual(log.csp, [], `${where}: Content-Security-Policy violations`);
}

const t0 = Date.now();
const normal = await browser.newContext({ viewport: DESKTOP });

// --- The research flow: search, refine, read a footnote, come back. -------------------
await check("search, facet, footnote, back to search", async () => {
  const { page, log } = await open(normal);
  await go(page, "/");
  const box = page.getByRole("search").getByRole("searchbox");
  await box.fill("Habomai");
  await box.press("Enter");
  await page.waitForURL((u) => u.pathname === "/search");
  let url = new URL(page.url());
  assert.equal(url.searchParams.get("q"), "Habomai", `search URL ${page.url()}`);
  assert.equal(await page.getByRole("search").getByRole("searchbox").inputValue(), "Habomai", "the box keeps the words");

  let hits = await docLinks(page);
  assert.ok(hits.includes(D52), `FRUS doc. 52 not among the hits: ${hits}`);
  assert.ok(hits.includes(WILSON), `Wilson Center 300264 not among the hits: ${hits}`);

  // The decade facet, found by its accessible name ("1950s, N documents").
  const refine = page.getByRole("complementary");
  await refine.getByRole("link", { name: /^1950s\b/ }).click();
  await page.waitForURL((u) => u.searchParams.getAll("filter").includes("decade:1950s"));
  hits = await docLinks(page);
  assert.ok(hits.includes(D52), `FRUS doc. 52 gone after filtering by the 1950s: ${hits}`);
  assert.ok(!hits.includes(WILSON), `the 1960 Wilson Center note is still listed under the 1950s: ${hits}`);
  assert.ok(hits.length > 0 && hits.every((h) => h.includes("frus")), `non-FRUS hits under the 1950s: ${hits}`);
  const searchUrl = page.url();

  await page.locator(`main ol a[href^='${D52}']`).first().click();
  await page.waitForURL((u) => u.pathname === D52);
  await page.getByRole("heading", { level: 1 }).waitFor();

  // Footnote 4 at desktop width: the reader sees the note without losing their place: the
  // whole margin note opens beside the reference (with script), or the link leads to the
  // note in the list (without).
  const ref = page.getByRole("link", { name: "Note 4", exact: true });
  await ref.scrollIntoViewIfNeeded();
  const refTop = await ref.evaluate((el) => el.getBoundingClientRect().top);
  await ref.click();
  const noteText = (await page.locator("#fn-4").innerText());
  assert.match(noteText, /As modified by Dulles/, "note 4 does not hold its text");
  const shown = page.getByText("As modified by Dulles");
  let seen = false;
  for (let i = 0; i < 50 && !seen; i++) {
    for (const l of await shown.all()) if ((await l.isVisible()) && (await inViewport(l))) seen = true;
    if (!seen) await page.waitForTimeout(100);
  }
  assert.ok(seen, "after activating note 4, “As modified by Dulles” is not visible in the viewport");
  const sideOpen = await page.locator("#sn-4.sn-open").count();
  if (sideOpen) {
    const refAfter = await ref.evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(Math.abs(refAfter - refTop) < 200, `the page jumped away from note 4's reference (${refTop} → ${refAfter})`);
  }
  await page.screenshot({ path: path.join(artifacts, "doc-note4-desktop.png") });

  // Back to the search, with the words and the filter.
  await page.getByRole("link", { name: /back to search/i }).click();
  await page.waitForURL((u) => u.pathname === "/search");
  url = new URL(page.url());
  assert.equal(url.searchParams.get("q"), "Habomai", `back link lost the words: ${page.url()}`);
  assert.ok(url.searchParams.getAll("filter").includes("decade:1950s"), `back link lost the filter: ${page.url()}`);
  assert.equal(page.url(), searchUrl, "the back link is not the search the document was opened from");
  assert.ok((await docLinks(page)).includes(D52), "the search came back without doc. 52");
  noProblems(log, "research flow");
  await page.close();
});

// --- Issue 16: forgiving queries, the person a search names, the volume walked. ---------
await check("search Kennan's finds the Long Telegram and says how it was read", async () => {
  const { page, log } = await open(normal);
  await go(page, "/");
  const box = page.getByRole("search").getByRole("searchbox");
  await box.fill("Kennan's");
  await box.press("Enter");
  await page.waitForURL((u) => u.pathname === "/search");
  const hits = await docLinks(page);
  assert.ok(hits.includes("/doc/frus1946v06/d475"), `Kennan's telegram not among the hits: ${hits}`);
  const inspector = page.locator("details.inspector");
  assert.ok(await inspector.isVisible(), "no query inspector");
  assert.match(await inspector.innerText(), /Possessives were read as their word/, "the inspector does not say how Kennan's was read");
  noProblems(log, "Kennan's");
  await page.close();
});

await check("person:Khrushchev finds Wilson Center 300264, the person first", async () => {
  const { page, log } = await open(normal);
  await go(page, "/search?q=person%3AKhrushchev");
  const hits = await docLinks(page);
  assert.ok(hits.includes(WILSON), `300264 not among the hits of person:Khrushchev: ${hits}`);
  const card = page.locator("section.entities .entity-card.person");
  assert.equal(await card.count(), 1, "no person card");
  assert.match(await card.innerText(), /Khrushchev, Nikita/, "the card does not name Khrushchev");
  await card.getByRole("link").first().click();
  await page.waitForURL((u) => u.pathname.startsWith("/person/"));
  noProblems(log, "person:Khrushchev");
  await page.close();
});

await check("walk the FRUS volume from d51 to d52", async () => {
  const { page, log } = await open(normal);
  await go(page, "/collection/frus1955-57v23p1");
  await page.locator("main a[href='/doc/frus1955-57v23p1/d51']").first().click();
  await page.waitForURL((u) => u.pathname === "/doc/frus1955-57v23p1/d51");
  const next = page.locator("nav.prevnext a[rel='next']");
  assert.equal(new URL(await next.evaluate((a) => a.href)).pathname, D52, "d51's Next is not d52");
  await next.click();
  await page.waitForURL((u) => u.pathname === D52);
  const prevnext = await page.locator("nav.prevnext").count() ? await page.locator("nav.prevnext").innerHTML() : "";
  assert.ok(!prevnext.includes("frus1955-57v23p1-d52"), "d52's neighbour is its own plain-text witness");
  const facts = page.locator("dl.key-facts");
  assert.ok(await inViewport(facts), "the key facts are not on the first screen");
  assert.match(await facts.innerText(), /Robertson/, "From Robertson is not among the key facts");
  noProblems(log, "volume walk");
  await page.close();
});

// --- Issue 16: the contents panel walks the chapter; d52 is marked where it is. ----------
await check("walk the chapter from d51 to d52 with the contents panel", async () => {
  const { page, log } = await open(normal);
  await go(page, "/doc/frus1955-57v23p1/d51");
  const panel = page.locator("details.contents-panel");
  assert.equal(await panel.count(), 1, "d51 has no contents panel");
  await panel.locator("summary").click();
  const current = panel.locator("a[aria-current='page']");
  assert.equal(new URL(await current.evaluate((a) => a.href)).pathname, "/doc/frus1955-57v23p1/d51", "d51 is not marked current");
  await page.screenshot({ path: path.join(artifacts, "doc-contents-panel-desktop.png") });
  await panel.locator(`a[href^='${D52}']`).click();
  await page.waitForURL((u) => u.pathname === D52);
  await page.locator("details.contents-panel summary").click();
  const now = page.locator("details.contents-panel a[aria-current='page']");
  assert.equal(new URL(await now.evaluate((a) => a.href)).pathname, D52, "d52 is not marked current");
  assert.match(await now.innerText(), /Robertson/, "the current entry is not d52's title");
  noProblems(log, "contents panel");
  await page.close();
});

// --- Issue 16: a place's documents, each with the passage that names it, shown. ----------
await check("place page shows each document's passage", async () => {
  const { page, log } = await open(normal, PHONE);
  await go(page, "/place/habomai");
  const passage = page.locator("blockquote.place-passage").first();
  assert.ok(await passage.isVisible(), "the passage naming Habomai is not shown");
  assert.match(await passage.locator("mark").innerText(), /^H(abomai|\[abomai\])s?$/, "the name is not marked");
  noProblems(log, "place page");
  await page.close();
});

// --- Issue 16: keyword in context from a search, sorted by the left context, as CSV. ----
await check("keyword in context: from the search, sorted by left context, CSV", async () => {
  const { page, log } = await open(normal);
  await go(page, "/search?q=Shikotan");
  await page.getByRole("link", { name: "Keyword in context" }).click();
  await page.waitForURL((u) => u.pathname === "/kwic");
  const rows = page.locator("table.kwic tbody tr");
  assert.ok((await rows.count()) >= 3, `only ${await rows.count()} lines`);
  // the word as printed, editorial brackets and all ("S[hikotan]")
  assert.deepEqual(
    [...new Set((await page.locator("table.kwic td.keyword").allInnerTexts()).map((k) => k.replace(/[[\]]/g, "")))],
    ["Shikotan"],
    "the keyword column holds other words",
  );
  await page.getByRole("link", { name: "left context" }).click();
  await page.waitForURL((u) => u.searchParams.get("order") === "left");
  const lefts = await page.locator("table.kwic td.left").allInnerTexts();
  const keys = lefts.map((l) => l.toLowerCase().replace(/[[\]]/g, "").split(/[^\p{L}\p{N}]+/u).filter(Boolean).reverse().join(" "));
  const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(keys, sorted, "the lines are not in the order of their left context");
  // the keyword column lines up: each keyword starts at the same x
  const xs = await page.locator("table.kwic td.keyword").evaluateAll((tds) => tds.map((td) => Math.round(td.getBoundingClientRect().left)));
  assert.equal(new Set(xs).size, 1, `the keywords are not aligned: ${xs}`);
  const csv = await page.getByRole("link", { name: "Download all lines as CSV" }).getAttribute("href");
  const res = await page.request.get(new URL(csv, base).href);
  assert.equal(res.headers()["content-type"], "text/csv; charset=utf-8");
  assert.ok((await res.text()).startsWith("document,title,date,left,keyword,right,offset\r\n"), "the CSV has no header");
  noProblems(log, "kwic");
  await page.close();
});

await check("note 4 of d52 sits beside its reference at 1280 px; ledger marks yield", async () => {
  const { page, log } = await open(normal);
  await go(page, D52);
  await page.waitForLoadState("load");
  const ref = page.getByRole("link", { name: "Note 4", exact: true });
  const refTop = await ref.evaluate((el) => el.getBoundingClientRect().top + scrollY);
  const noteTop = await page.locator("#sn-4").evaluate((el) => el.getBoundingClientRect().top + scrollY);
  assert.ok(Math.abs(noteTop - refTop) <= 40, `note 4 is ${Math.round(noteTop - refTop)} px from its reference`);
  // no mark covers a note
  const clash = await page.evaluate(() => {
    const boxes = (sel) => Array.from(document.querySelectorAll(sel)).map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0);
    const notes = boxes("section.text .sidenote");
    for (const m of boxes("section.text .ledger-mark"))
      for (const n of notes) if (m.top < n.bottom && m.bottom > n.top && m.left < n.right && m.right > n.left) return true;
    return false;
  });
  assert.ok(!clash, "a ledger mark covers a margin note");
  await page.screenshot({ path: path.join(artifacts, "doc-margins-desktop.png") });
  // the drafting history of note 4 as a diff: the words Dulles inserted
  const inserted = await page.locator("#fn-4 figure.draft-diff ins").allInnerTexts();
  assert.ok(
    inserted.some((t) => t.includes("although of course accepting Japan’s renunciation under Article 2(c) of 1951 Peace Treaty")),
    `note 4's diff lacks the inserted clause: ${inserted}`,
  );
  const words = inserted.map((t) => t.replace(/\s+/g, " ").replace(/^\[inserted: /, "").replace(/ ?\]$/, "").trim());
  assert.ok(words.includes("final"), `note 4's diff lacks “final”: ${words}`);
  await page.locator("#fn-4").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, "doc-note4-diff-desktop.png") });
  noProblems(log, "margins");
  await page.close();
});

// --- Footnote on a phone: Enter on the reference opens the note in place. ---------------
await check("footnote 4 by keyboard at phone width", async () => {
  const { page, log } = await open(normal, PHONE);
  await go(page, D52);
  const ref = page.getByRole("link", { name: "Note 4", exact: true });
  await ref.focus();
  await page.keyboard.press("Enter");
  const pop = page.locator(".note-pop");
  let target = pop;
  if ((await pop.count()) === 0) target = page.locator("#fn-4"); // no script: the jump to the list
  await target.first().waitFor({ state: "visible" });
  const shown = target.first().getByText("As modified by Dulles");
  assert.ok(await shown.isVisible(), "“As modified by Dulles” is not visible after Enter on note 4");
  await page.waitForFunction((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.top < innerHeight && r.bottom > 0;
  }, (await pop.count()) ? ".note-pop" : "#fn-4");
  assert.ok(await inViewport(target.first()), "note 4 opened outside the viewport");
  await page.screenshot({ path: path.join(artifacts, "doc-note4-phone.png") });
  if ((await pop.count()) > 0) {
    await page.keyboard.press("Escape");
    assert.equal(await pop.count(), 0, "Escape does not close the note");
    const f = await focused(page);
    assert.equal(f.text, "4", `focus did not return to the note reference, but to ${JSON.stringify(f)}`);
  }
  noProblems(log, "phone footnote");
  await page.close();
});

// --- Keyboard: skip link first, then the search box. -----------------------------------
await check("keyboard: skip link, then the search box", async () => {
  const { page, log } = await open(normal);
  await go(page, "/");
  await page.keyboard.press("Tab");
  const skip = await focused(page);
  assert.equal(skip.tag, "a", `first Tab stop is not a link: ${JSON.stringify(skip)}`);
  assert.match(skip.text, /skip/i, `first Tab stop is not a skip link: ${JSON.stringify(skip)}`);
  assert.ok(skip.visible, "the skip link is not visible when it has focus");
  await page.screenshot({ path: path.join(artifacts, "home-skip-link-focused.png"), clip: { x: 0, y: 0, width: 1280, height: 200 } });
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  const next = await focused(page);
  assert.ok(
    next.tag === "input" && next.type === "search",
    `after the skip link, Tab does not reach the search box but ${JSON.stringify(next)}`,
  );
  // Without the skip link the box is still reached, after the site navigation.
  await go(page, "/");
  const stops = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    stops.push(f.id || f.text || f.tag);
    if (f.tag === "input" && f.type === "search") break;
  }
  assert.equal(stops.at(-1), "q", `Tab never reached the search box: ${stops.join(" → ")}`);
  console.log(`     tab order on home: ${stops.join(" → ")}`);
  noProblems(log, "keyboard");
  await page.close();
});

// --- Screenshots at desktop and phone widths. -------------------------------------------
for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  await check(`screenshots at ${label} width`, async () => {
    const { page, log } = await open(normal, viewport);
    for (const [name, url] of [
      ["home", "/"],
      ["search", "/search?q=Habomai"],
      ["search-inspector", "/search?q=%22Habomai+Zanzibar"],
      ["search-person", "/search?q=Khrushchev"],
      ["search-kwic", "/kwic?q=Shikotan&order=left"],
      ["volume", "/collection/frus1955-57v23p1"],
      ["doc", `${D52}?back=${encodeURIComponent("/search?q=Habomai")}`],
      ["doc-wilson", WILSON],
      ["place", "/place/habomai"],
    ]) {
      await go(page, url);
      await page.screenshot({ path: path.join(artifacts, `${name}-${label}.png`), fullPage: true });
      await page.screenshot({ path: path.join(artifacts, `${name}-${label}-top.png`) });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${name} at ${label} width scrolls sideways by ${overflow}px`);
    }
    noProblems(log, `${label} pages`);
    await page.close();
  });
}

// --- The cite box (issue 17): each style with a copy button that copies it. --------------
await check("cite box: every style with a copy button that copies it, and the downloads", async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(base).origin });
  const { page, log } = await open(context);
  await go(page, D52);
  const box = page.locator("dl.citations");
  await box.scrollIntoViewIfNeeded();
  const styles = await box.locator("dt").allInnerTexts();
  assert.deepEqual(styles, ["Chicago, full note", "Chicago, short note", "Chicago, bibliography", "MLA", "APA"]);
  const buttons = box.locator("button.copy");
  assert.equal(await buttons.count(), styles.length, "one copy button a style");
  for (let i = 0; i < styles.length; i++) assert.ok(await buttons.nth(i).isVisible(), `no visible copy button for ${styles[i]}`);
  const note = (await box.locator("#cite-chicago-note").innerText()).trim();
  assert.ok(note.includes("Foreign Relations of the United States, 1955–1957"), `the full note: ${note}`);
  await buttons.first().click();
  await page.waitForFunction(() => document.querySelector("button.copy").textContent === "Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.replace(/\s+/g, " "), note.replace(/\s+/g, " "), "the clipboard holds the full note");
  const downloads = await page.locator("p.downloads a").evaluateAll((as) => as.map((a) => a.textContent));
  for (const d of ["BibTeX", "RIS", "CSL-JSON", "TEI", "Markdown"]) assert.ok(downloads.includes(d), `no ${d} download: ${downloads}`);
  const section = box.locator("xpath=ancestor::*[self::section or self::aside or self::details][1]");
  await (await section.count() ? section : box).screenshot({ path: path.join(artifacts, "cite-box-desktop.png") });
  noProblems(log, "cite box");
  await context.close();
});

// --- Accessibility: axe-core (CSP bypassed only here, to inject it). --------------------
const axeContext = await browser.newContext({ bypassCSP: true });
for (const [name, url] of [
  ["home", "/"],
  ["search", "/search?q=Habomai&filter=decade:1950s"],
  ["search with the inspector and a person", "/search?q=Khrushchev+Zanzibar%27s+%28"],
  ["search naming a person", "/search?q=Khrushchev"],
  ["document", `${D52}?back=${encodeURIComponent("/search?q=Habomai")}`],
  ["document (Wilson Center)", WILSON],
  ["keyword in context", "/kwic?q=Shikotan&order=left"],
  ["volume", "/collection/frus1955-57v23p1"],
  ["place", "/place/habomai"],
  ["witnesses compared", `/compare?a=${encodeURIComponent("frus1955-57v23p1/d52")}&b=frus1955-57v23p1-d52`],
]) {
  for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    await check(`axe: ${name} at ${label} width`, async () => {
      const { page } = await open(axeContext, viewport);
      await go(page, url);
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(() =>
        window.axe.run(document, { resultTypes: ["violations"] }).then((r) =>
          r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`),
          })),
        ),
      );
      for (const v of result) console.log(`     axe ${v.impact}: ${v.id} (${v.help})\n       ${v.nodes.join("\n       ")}`);
      const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad.map((v) => `${v.impact}: ${v.id}`), [], `serious or critical axe violations on ${url}`);
      await page.close();
    });
  }
}
await axeContext.close();

// --- XSS: markup in a document's title and text stays text (CSP active). ----------------
await check("XSS probe stays text", async () => {
  const { page, log } = await open(normal);
  await go(page, "/search?q=probe");
  const hit = page.locator("main ol a[href^='/doc/xss-probe']");
  assert.equal(await hit.count(), 1, "the probe document is not found by searching “probe”");
  assert.ok((await hit.innerText()).includes(PROBE_TEXT), `the hit title does not show the markup as text: ${await hit.innerText()}`);
  assert.equal(await page.evaluate(() => typeof window.__xss), "undefined", "script from the data ran on the search page");
  await hit.click();
  await page.waitForURL((u) => u.pathname === "/doc/xss-probe");
  await page.getByRole("heading", { level: 1 }).waitFor();
  assert.ok((await page.getByRole("heading", { level: 1 }).innerText()).includes(PROBE_TEXT), "the title is not shown as text");
  const bodyText = page.getByText(`${PROBE_TEXT} <img src=x onerror="window.__xss=2"> probe`);
  assert.ok(await bodyText.first().isVisible(), "the probe's text with its markup is not visible as text");
  assert.equal(await page.evaluate(() => typeof window.__xss), "undefined", "script from the data ran on the document page");
  assert.equal(await page.locator("main script, main img[src='x'], main [onerror]").count(), 0, "data became elements");
  assert.equal(await page.title(), `XSS probe ${PROBE_TEXT} · Chancery`, "the <title> is not the escaped text");
  noProblems(log, "XSS probe", { allowCsp: true });
  if (log.csp.length) console.log(`     CSP reports (allowed here): ${log.csp.join(" | ")}`);
  await page.close();
});

await normal.close();
await browser.close();

console.log(`\n${failures.length ? `${failures.length} check(s) failed: ${failures.join("; ")}` : "all checks passed"} in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
process.exit(failures.length ? 1 : 0);

//! The reading room in a real browser (headless Chromium over the DevTools protocol): the
//! pages obey their own Content-Security-Policy, notes sit in the margin on wide screens
//! and open in place on phones (and still work without JavaScript), the keyboard reaches
//! everything, and a search can be refined and returned to.
//!
//! Chromium is found through `CHROME` or on the PATH (`chromium`, `google-chrome`…). Without
//! it these tests say so and pass, unless `CHANCERY_BROWSER_TESTS=required`, which CI sets where
//! it installs Chromium.

mod common;

use std::ffi::OsStr;
use std::time::{Duration, Instant};

use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::{Emulation, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

/// Collects every CSP violation of the page, installed before any of its own scripts run.
const CSP_PROBE: &str = "window.__csp = []; document.addEventListener('securitypolicyviolation', \
                         function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });";

/// Start the server on a free loopback port; it lives as long as the test process.
fn start_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let app = chancery_web::router(common::archive());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{addr}")
}

/// One browser at a time: three Chromiums starting at once on a small machine time out.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn browser(width: u32, height: u32) -> Option<Browser> {
    let path = match headless_chrome::browser::default_executable() {
        Ok(p) => p,
        Err(e) => {
            assert!(
                std::env::var("CHANCERY_BROWSER_TESTS").as_deref() != Ok("required"),
                "CHANCERY_BROWSER_TESTS=required but no Chromium: {e}"
            );
            eprintln!("browser tests skipped: no Chromium found ({e}); install chromium or set CHROME");
            return None;
        }
    };
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .window_size(Some((width, height)))
        .args(vec![OsStr::new("--hide-scrollbars"), OsStr::new("--disable-extensions")])
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .expect("launch options");
    Some(Browser::new(options).expect("launch Chromium"))
}

/// The value of a JavaScript expression in the page (passed through JSON, so arrays and
/// objects come back whole).
fn js(tab: &Tab, expr: &str) -> Value {
    let json = tab
        .evaluate(&format!("JSON.stringify(({expr}))"), false)
        .unwrap_or_else(|e| panic!("evaluating {expr}: {e}"))
        .value;
    match json {
        Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or_else(|e| panic!("{expr}: {e}: {s}")),
        _ => Value::Null,
    }
}

/// Wait until `expr` is true in the page, or fail naming `what`.
fn wait_for(tab: &Tab, expr: &str, what: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if js(tab, expr) == Value::Bool(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what} ({expr}) on {}", tab.get_url());
}

fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url).unwrap().wait_until_navigated().unwrap();
    wait_for(tab, "document.readyState === 'complete'", "the page to load");
}

fn new_tab(browser: &Browser) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().unwrap();
    tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
        source: CSP_PROBE.to_string(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .unwrap();
    tab
}

fn no_csp_violations(tab: &Tab) {
    // Give late reports (stylesheet, script, favicon) a moment to arrive.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(js(tab, "window.__csp"), serde_json::json!([]), "on {}", tab.get_url());
}

fn rect(tab: &Tab, selector: &str) -> (f64, f64, f64, f64) {
    let v = js(
        tab,
        &format!(
            "(function () {{ var r = document.querySelector({selector:?}).getBoundingClientRect(); \
             return [r.left, r.top, r.right, r.bottom]; }})()"
        ),
    );
    let n = |i: usize| v[i].as_f64().unwrap_or_else(|| panic!("no box for {selector}: {v}"));
    (n(0), n(1), n(2), n(3))
}

#[test]
fn wide_screen_notes_in_the_margin_and_policy_obeyed() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = browser(1400, 1000) else { return };
    let base = start_server();
    let tab = new_tab(&browser);

    open(&tab, &format!("{base}/doc/frus1955-57v23p1/d52"));
    no_csp_violations(&tab);
    // The probe is live: an inline script is refused and reported.
    js(&tab, "(function () { var s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s); return true; })()");
    wait_for(&tab, "window.__csp.length > 0", "the CSP probe to report an inline script");
    assert_eq!(js(&tab, "window.__ran === undefined"), Value::Bool(true), "an inline script ran");

    open(&tab, &format!("{base}/doc/frus1955-57v23p1/d52"));
    // The stylesheet applies: a serif text face at a readable measure.
    let font = js(&tab, "getComputedStyle(document.querySelector('section.text p, section.text li')).fontFamily");
    assert!(font.as_str().unwrap().contains("serif"), "{font}");
    // Lines of the running text hold about 65 characters: the text column is compared with
    // a box 65ch wide in the same font.
    let measure = js(
        &tab,
        "(function () { var p = document.querySelector('section.text li.item'); \
         var probe = document.createElement('div'); probe.style.width = '65ch'; p.appendChild(probe); \
         var ratio = p.getBoundingClientRect().width / probe.getBoundingClientRect().width; \
         probe.remove(); return ratio; })()",
    );
    let measure = measure.as_f64().unwrap();
    assert!((0.85..=1.1).contains(&measure), "the text column is {measure:.2} × 65ch");

    // The metadata is compact: the text begins on the first screen.
    let first = rect(&tab, "section.text p");
    assert!(first.1 < 1000.0 * 0.75, "the first paragraph of the text starts at y={}", first.1);
    assert_eq!(js(&tab, "document.querySelector('details.more-meta').open"), Value::Bool(false));
    // The text is set ragged right (no justified word gaps).
    assert_eq!(js(&tab, "getComputedStyle(document.querySelector('section.text p')).textAlign"), Value::from("left"));

    // Note references are big enough to hit: at least 16 × 20 px.
    let hit = rect(&tab, "#fnref-4");
    assert!(hit.2 - hit.0 >= 16.0 && hit.3 - hit.1 >= 20.0, "note reference box {hit:?}");

    // Note 4 is shown in the right margin beside the text, page 122 in the left margin.
    let text = rect(&tab, "section.text");
    let sn = rect(&tab, "sup.noteref:has(#fnref-4) + .sidenote");
    assert!(sn.0 >= text.2 - 1.0, "sidenote at x={} but the text ends at x={}", sn.0, text.2);
    let note_text = js(&tab, "document.querySelector('sup.noteref:has(#fnref-4) + .sidenote').textContent");
    assert!(note_text.as_str().unwrap().contains("As modified by"), "{note_text}");
    // Focusing the reference lights up its margin note (#sn-4), in place.
    let before = js(&tab, "getComputedStyle(document.getElementById('sn-4')).backgroundColor");
    js(&tab, "(document.getElementById('fnref-4').focus(), true)");
    let after = js(&tab, "getComputedStyle(document.getElementById('sn-4')).backgroundColor");
    assert_ne!(before, after, "the margin note is not highlighted when its reference has focus");
    let pb = rect(&tab, "#pg-122 .pb-label");
    assert!(pb.2 <= text.0 + 1.0, "page marker ends at x={} but the text starts at x={}", pb.2, text.0);

    // On a wide screen activating the reference opens the whole margin note in place: no
    // jump (the reader keeps their place), no pop-up; the note in the list links back.
    let y = js(&tab, "window.scrollY");
    tab.find_element("#fnref-4").unwrap().click().unwrap();
    wait_for(&tab, "document.getElementById('sn-4').classList.contains('sn-open')", "margin note 4 to open");
    assert_eq!(js(&tab, "location.hash"), Value::from(""));
    let moved = js(&tab, "window.scrollY").as_f64().unwrap() - y.as_f64().unwrap();
    assert!(moved.abs() < 300.0, "the page moved {moved}px when note 4 was opened");
    assert_eq!(js(&tab, "document.querySelectorAll('.note-pop').length"), Value::from(0));
    let open = rect(&tab, "#sn-4");
    assert!(open.3 - open.1 > 150.0, "the opened margin note is still cut short: {open:?}");
    js(&tab, "(location.hash = '#fn-4', true)");
    tab.find_element("#fn-4 a.backref").unwrap().click().unwrap();
    wait_for(&tab, "location.hash === '#fnref-4'", "the jump back to the reference");
}

#[test]
fn phone_notes_open_in_place_and_work_without_script() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = browser(390, 844) else { return };
    let base = start_server();
    let tab = new_tab(&browser);
    open(&tab, &format!("{base}/doc/frus1955-57v23p1/d52"));
    no_csp_violations(&tab);

    // One column: nothing wider than the screen, margin notes hidden.
    assert_eq!(js(&tab, "document.documentElement.scrollWidth <= window.innerWidth"), Value::Bool(true));
    // Metadata labels sit above their values, not in a cramped second column.
    let dt = rect(&tab, "dl.essentials dt");
    let dd = rect(&tab, "dl.essentials dd");
    assert!((dt.0 - dd.0).abs() < 1.0 && dd.1 >= dt.3 - 1.0, "label {dt:?} and value {dd:?} side by side");
    assert_eq!(js(&tab, "getComputedStyle(document.querySelector('.sidenote')).display"), Value::from("none"));

    // The reference opens the note below its paragraph, focused; Escape closes it and
    // returns focus to the reference.
    tab.find_element("#fnref-4").unwrap().click().unwrap();
    wait_for(&tab, "document.querySelector('.note-pop') !== null", "the note to open in place");
    let pop = js(&tab, "document.querySelector('.note-pop').textContent");
    assert!(pop.as_str().unwrap().contains("As modified by"), "{pop}");
    assert_eq!(js(&tab, "document.activeElement.className"), Value::from("note-pop"));
    assert_eq!(js(&tab, "location.hash"), Value::from(""));
    tab.press_key("Escape").unwrap();
    wait_for(&tab, "document.querySelector('.note-pop') === null", "the note to close");
    assert_eq!(js(&tab, "document.activeElement.id"), Value::from("fnref-4"));

    // Without JavaScript the same reference still leads to the note (clicked by position:
    // the page is opened at the reference, which scrolls it into view).
    tab.call_method(Emulation::SetScriptExecutionDisabled { value: true }).unwrap();
    open(&tab, &format!("{base}/"));
    open(&tab, &format!("{base}/doc/frus1955-57v23p1/d52#fnref-4"));
    let (l, t, r, b) = rect(&tab, "#fnref-4");
    assert!(b > 0.0 && t < 844.0, "the reference is not in view: {t}..{b}");
    tab.click_point(Point { x: (l + r) / 2.0, y: (t + b) / 2.0 }).unwrap();
    let start = Instant::now();
    while !tab.get_url().ends_with("#fn-4") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(tab.get_url().ends_with("#fn-4"), "{}", tab.get_url());
    assert_eq!(js(&tab, "document.querySelectorAll('.note-pop').length"), Value::from(0));
}

#[test]
fn keyboard_search_refine_read_and_return() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = browser(1200, 900) else { return };
    let base = start_server();
    let tab = new_tab(&browser);
    open(&tab, &format!("{base}/"));
    no_csp_violations(&tab);

    // The first Tab reaches the skip link, visibly; Enter moves to the main content.
    tab.press_key("Tab").unwrap();
    assert_eq!(js(&tab, "document.activeElement.className"), Value::from("skip"));
    let skip = rect(&tab, "a.skip");
    assert!(skip.1 >= 0.0, "the focused skip link is off screen at y={}", skip.1);
    assert_ne!(js(&tab, "getComputedStyle(document.activeElement).outlineStyle"), Value::from("none"));
    tab.press_key("Enter").unwrap();
    wait_for(&tab, "location.hash === '#main'", "the skip link to move on");

    // Type a query and submit with Enter.
    tab.find_element("#q").unwrap().click().unwrap();
    tab.type_str("Habomai").unwrap();
    tab.press_key("Enter").unwrap();
    wait_for(&tab, "location.pathname === '/search' && document.readyState === 'complete'", "the results");
    // The form's empty fields are dropped by a redirect to the canonical URL.
    assert!(tab.get_url().ends_with("/search?q=Habomai"), "{}", tab.get_url());
    no_csp_violations(&tab);
    let hits = js(&tab, "Array.from(document.querySelectorAll('li.hit h3 a')).map(a => a.pathname).join(' ')");
    assert!(hits.as_str().unwrap().contains("/doc/frus1955-57v23p1/d52"), "{hits}");

    // Refine by the 1960s decade: only the Wilson Center document remains.
    let facet = tab.find_element_by_xpath("//aside//a[contains(., '1960s')]").unwrap();
    facet.click().unwrap();
    wait_for(
        &tab,
        "location.search.indexOf('filter=decade%3A1960s') >= 0 && document.readyState === 'complete'",
        "the refined search",
    );
    let refined = tab.get_url();
    let hits = js(&tab, "Array.from(document.querySelectorAll('li.hit h3 a')).map(a => a.pathname)");
    assert_eq!(hits, serde_json::json!(["/doc/wilson-center/300264"]));

    // Read it, then go back to exactly that search.
    tab.find_element("li.hit h3 a").unwrap().click().unwrap();
    wait_for(
        &tab,
        "location.pathname === '/doc/wilson-center/300264' && document.readyState === 'complete'",
        "the document",
    );
    no_csp_violations(&tab);
    tab.find_element("p.back a").unwrap().click().unwrap();
    wait_for(&tab, "location.pathname === '/search' && document.readyState === 'complete'", "the way back");
    assert_eq!(tab.get_url(), refined);
}

#[test]
fn timeline_and_person_pages_draw_within_the_policy() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(wide) = browser(1200, 900) else { return };
    let base = start_server();
    let tab = new_tab(&wide);

    // The timeline of a search: the inline SVG is drawn (no CSP report: it has no style or
    // script), its marks link to the documents in date order, and a mark opens its document.
    open(&tab, &format!("{base}/timeline?q=Habomai"));
    no_csp_violations(&tab);
    let svg = rect(&tab, "figure.timeline svg");
    assert!(svg.2 - svg.0 > 300.0 && svg.3 - svg.1 > 50.0, "the timeline is not drawn: {svg:?}");
    let marks =
        js(&tab, "Array.from(document.querySelectorAll('figure.timeline svg a')).map(a => a.getAttribute('href'))");
    assert_eq!(marks, serde_json::json!(["/doc/frus1955-57v23p1/d52", "/doc/wilson-center/300264"]));
    js(&tab, "(document.querySelector('figure.timeline svg a circle').scrollIntoView({block: 'center'}), true)");
    let (l, t, r, b) = rect(&tab, "figure.timeline svg a circle");
    tab.click_point(Point { x: (l + r) / 2.0, y: (t + b) / 2.0 }).unwrap();
    wait_for(
        &tab,
        "location.pathname === '/doc/frus1955-57v23p1/d52' && document.readyState === 'complete'",
        "the document from its mark on the timeline",
    );
    no_csp_violations(&tab);
    // The page's script fills the Related section in from /related/{id}?fragment.
    wait_for(
        &tab,
        "document.querySelector('section.related .related-list a[href=\"/doc/wilson-center/300264\"]') !== null",
        "the related documents to load",
    );
    let why = js(
        &tab,
        "document.querySelector('section.related .related-list a[href=\"/doc/wilson-center/300264\"]')\
         .closest('li').querySelector('span.why').textContent",
    );
    assert!(why.as_str().unwrap().contains("shares places: Habomai, Shikotan"), "{why}");
    assert_eq!(js(&tab, "document.querySelector('section.related').hasAttribute('aria-busy')"), Value::Bool(false));

    // From the document's people to Robertson's page: the memorandum on his timeline.
    js(&tab, "(document.querySelector('section.links.people a[href=\"/person/111456\"]').scrollIntoView(), true)");
    tab.find_element("section.links.people a[href='/person/111456']").unwrap().click().unwrap();
    wait_for(&tab, "location.pathname === '/person/111456' && document.readyState === 'complete'", "the person page");
    no_csp_violations(&tab);
    assert!(js(&tab, "document.querySelector('h1').textContent").as_str().unwrap().starts_with("Robertson, Walter S"));
    let svg = rect(&tab, "figure.timeline svg");
    assert!(svg.2 - svg.0 > 300.0, "the person's timeline is not drawn: {svg:?}");
    let listed = js(&tab, "Array.from(document.querySelectorAll('ol.mentioning a')).map(a => a.pathname)");
    assert_eq!(listed, serde_json::json!(["/doc/frus1955-57v23p1/d52"]));
    drop(tab);
    drop(wide);

    // On a phone the pages stay one screen wide (the drawing scrolls inside its frame).
    let Some(phone) = browser(390, 844) else { return };
    let tab = new_tab(&phone);
    let khrushchev = common::archive().find_persons("Khrushchev, Nikita").unwrap()[0].id.clone();
    for path in ["/timeline?q=Habomai".to_string(), format!("/person/{khrushchev}"), "/place/habomai".to_string()] {
        open(&tab, &format!("{base}{path}"));
        no_csp_violations(&tab);
        assert_eq!(
            js(&tab, "document.documentElement.scrollWidth <= window.innerWidth"),
            Value::Bool(true),
            "{path} is wider than the screen"
        );
        assert_eq!(
            js(&tab, "document.querySelectorAll('figure.timeline svg a').length > 0"),
            Value::Bool(true),
            "{path}"
        );
    }
}

#[test]
fn issue_page_shows_passages_on_hover_and_focus_and_opens_the_document_there() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = browser(1400, 1000) else { return };
    let base = start_server();
    let tab = new_tab(&browser);
    // The Soviet position of ¶3(c) of FRUS doc. 52, from the archive.
    let filter = chancery_core::LedgerFilter {
        issue: Some("habomai-shikotan".into()),
        party: Some("ussr".into()),
        document: Some("frus1955-57v23p1/d52".into()),
        ..Default::default()
    };
    let p = common::archive()
        .ledger_positions(&filter)
        .unwrap()
        .into_iter()
        .find(|p| p.source.locator() == "¶3(c)")
        .expect("the ¶3(c) position");
    let anchor = format!("b{}", p.source.block.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("."));
    let href = format!("/doc/frus1955-57v23p1/d52#{anchor}");
    let link = format!("li.position a.pos-link[href=\"{href}\"]");
    let passage_words: String = p.source.text.split_whitespace().take(6).collect::<Vec<_>>().join(" ");

    open(&tab, &format!("{base}/issue/habomai-shikotan"));
    no_csp_violations(&tab);
    // A proposal is drawn dashed.
    let li = format!("document.querySelector({link:?}).closest('li.position')");
    assert_eq!(js(&tab, &format!("getComputedStyle({li}).borderTopStyle")), Value::from("dashed"));
    // The passage is hidden until the position is pointed at.
    let passage = format!("{li}.querySelector('.passage')");
    assert_eq!(js(&tab, &format!("getComputedStyle({passage}).display")), Value::from("none"));
    js(&tab, &format!("({li}.scrollIntoView({{block: 'center'}}), true)"));
    let (l, t, r, _) = rect(&tab, &format!("li.position:has(> {})", link.trim_start_matches("li.position ")));
    tab.move_mouse_to_point(Point { x: (l + r) / 2.0, y: t + 8.0 }).unwrap();
    wait_for(&tab, &format!("getComputedStyle({passage}).display === 'block'"), "the passage on hover");
    let shown = js(&tab, &format!("{passage}.innerText"));
    let shown = shown.as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(shown.contains(&passage_words), "{shown:?} lacks {passage_words:?}");
    assert!(shown.contains("¶3(c)"), "{shown}");
    // The popover lies over the page, inside the window.
    let (pl, pt, pr, pb) =
        rect(&tab, &format!("li.position:has(> {}) .passage", link.trim_start_matches("li.position ")));
    assert!(pr - pl > 200.0 && pb > pt && pl >= 0.0 && pr <= 1400.0, "passage box {:?}", (pl, pt, pr, pb));
    tab.move_mouse_to_point(Point { x: 5.0, y: 5.0 }).unwrap();
    wait_for(&tab, &format!("getComputedStyle({passage}).display === 'none'"), "the passage to close");

    // Keyboard: Tab reaches the position's link and its passage opens; Escape closes it.
    js(&tab, "(document.querySelector('p.exports a[href$=\".csv\"]').focus(), true)");
    let mut reached = false;
    for _ in 0..40 {
        tab.press_key("Tab").unwrap();
        if js(&tab, &format!("document.activeElement === document.querySelector({link:?})")) == Value::Bool(true) {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the ¶3(c) position");
    wait_for(&tab, &format!("getComputedStyle({passage}).display === 'block'"), "the passage on focus");
    assert_ne!(js(&tab, "getComputedStyle(document.activeElement).outlineStyle"), Value::from("none"));
    tab.press_key("Escape").unwrap();
    wait_for(&tab, &format!("getComputedStyle({passage}).display === 'none'"), "Escape to close the passage");

    // The condition change is highlighted: the row's description and the new condition.
    let change = js(&tab, "document.querySelector('tr.change-row mark.change').textContent");
    let (before, after) = change.as_str().unwrap().split_once(" → ").expect("a change from … to …");
    assert!(before.starts_with("1955: ") && before.contains("islands not militarized"), "{change}");
    assert!(after.starts_with("1960: ") && after.contains("all foreign troops withdrawn from Japan"), "{change}");
    let paper = js(&tab, "getComputedStyle(document.body).backgroundColor");
    assert_ne!(
        js(&tab, "getComputedStyle(document.querySelector('tr.change-row mark.change')).backgroundColor"),
        paper
    );
    let troops = "Array.from(document.querySelectorAll('ins.cond-added')).find(e => e.textContent.indexOf('all foreign troops withdrawn from Japan') >= 0)";
    assert_eq!(
        js(&tab, &format!("{troops}.textContent")),
        Value::from("all foreign troops withdrawn from Japan new in 1960")
    );
    assert_ne!(js(&tab, &format!("getComputedStyle({troops}).backgroundColor")), paper);

    // Following the position opens the document scrolled to the passage, which is the target
    // and highlighted.
    tab.press_key("Enter").unwrap();
    wait_for(
        &tab,
        &format!("location.pathname === '/doc/frus1955-57v23p1/d52' && location.hash === '#{anchor}' && document.readyState === 'complete'"),
        "the document at the passage",
    );
    no_csp_violations(&tab);
    assert_eq!(
        js(&tab, "document.querySelector(':target') && document.querySelector(':target').id"),
        Value::from(anchor.clone())
    );
    let (_, top, _, bottom) = rect(&tab, ":target");
    assert!((-1.0..500.0).contains(&top) && bottom > top, "the passage is not scrolled into view: {top}..{bottom}");
    assert_ne!(js(&tab, "getComputedStyle(document.querySelector(':target')).backgroundColor"), paper);
    let target_text = js(&tab, "document.querySelector(':target').textContent");
    let target_text = target_text.as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(target_text.contains(&passage_words), "{target_text:?} lacks {passage_words:?}");
    // Beside it, the ledger's mark names the issue and the party.
    let mark = js(
        &tab,
        "(function () { var t = document.querySelector(':target'); \
         var m = t.querySelector('.ledger-mark') || t.previousElementSibling; \
         return m && m.classList.contains('ledger-mark') ? m.textContent : null; })()",
    );
    assert!(mark.as_str().is_some_and(|m| m.contains("Transfer of Habomai and Shikotan: Soviet Union")), "{mark}");
    // In the right margin, beside the text.
    let text = rect(&tab, "section.text");
    let marks = js(
        &tab,
        "Array.from(document.querySelectorAll('section.text .ledger-mark')).map(m => m.getBoundingClientRect().left)",
    );
    assert!(
        marks.as_array().unwrap().iter().all(|l| l.as_f64().unwrap() >= text.2 - 1.0),
        "{marks} vs text end {}",
        text.2
    );
    // Clicking (not only Enter) works the same way.
    tab.navigate_to(&format!("{base}/issue/habomai-shikotan")).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "document.readyState === 'complete'", "the issue page again");
    js(&tab, &format!("(document.querySelector({link:?}).scrollIntoView({{block: 'center'}}), true)"));
    tab.find_element(&link).unwrap().click().unwrap();
    wait_for(
        &tab,
        &format!("location.hash === '#{anchor}' && document.readyState === 'complete'"),
        "the click to the passage",
    );
    assert_eq!(js(&tab, "document.querySelector(':target').id"), Value::from(anchor));
}

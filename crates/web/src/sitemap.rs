//! `robots.txt` and `sitemap.xml` (issue 17), so that search engines and Google Scholar find
//! every document page: `/sitemap.xml` is a sitemap index of `/sitemap/{n}.xml` pages of at
//! most [`SITEMAP_PAGE`] document pages each (the protocol's limit is 50,000), each with the
//! date it was last stored. Heavy pages (searches, timelines, lookups, exports) and the API
//! are not for crawlers.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chancery_core::citation::oai::{datestamp, xml_escape};
use chancery_core::{Archive, OaiQuery};
use std::fmt::Write as _;

use crate::cite::base_of;
use crate::util::doc_url;
use crate::{classify, AppState, Failure};

/// Document pages a sitemap page lists.
pub const SITEMAP_PAGE: usize = 40_000;

pub(crate) async fn robots(headers: HeaderMap) -> Response {
    let base = base_of(&headers);
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /search\nDisallow: /timeline\nDisallow: /related/\n\
         Disallow: /oai\nDisallow: /export\nDisallow: /lookup\nSitemap: {base}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

pub(crate) async fn index(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_of(&headers);
    match st.heavy(|a| a.count().map_err(classify)).await {
        Ok(n) => {
            let pages = (n as usize).div_ceil(SITEMAP_PAGE).max(1);
            let mut o = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
            );
            for p in 1..=pages {
                let _ = write!(o, "<sitemap><loc>{}/sitemap/{p}.xml</loc></sitemap>", xml_escape(&base));
            }
            o.push_str("</sitemapindex>\n");
            xml(o)
        }
        Err(f) => f.text(),
    }
}

pub(crate) async fn page(State(st): State<AppState>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    let Some(n) = name.strip_suffix(".xml").and_then(|n| n.parse::<usize>().ok()).filter(|n| *n >= 1) else {
        return Failure::NotFound(format!("There is no sitemap {name:?}.")).text();
    };
    let base = base_of(&headers);
    match st.heavy(move |a| urls(a, n)).await {
        Ok(Some(entries)) => {
            let mut o = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
            );
            for (id, stamp) in entries {
                let _ = write!(
                    o,
                    "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
                    xml_escape(&format!("{base}{}", doc_url(&id))),
                    datestamp(&stamp)
                );
            }
            o.push_str("</urlset>\n");
            xml(o)
        }
        Ok(None) => Failure::NotFound(format!("There is no sitemap page {n}.")).text(),
        Err(f) => f.text(),
    }
}

/// The documents of sitemap page `n` (from 1) with their stamps, in the store's stamp order;
/// `None` past the last page.
fn urls(a: &Archive, n: usize) -> Result<Option<Vec<(String, String)>>, Failure> {
    let mut q = OaiQuery::default();
    let mut page = Vec::new();
    let mut seen = 0usize;
    let skip = (n - 1).saturating_mul(SITEMAP_PAGE);
    loop {
        let headers = a.oai_headers(&q, 5_000).map_err(classify)?;
        let Some(last) = headers.last() else { break };
        q.after = Some((last.stamp.clone(), last.id.clone()));
        for h in headers.into_iter().filter(|h| !h.deleted) {
            if seen >= skip && page.len() < SITEMAP_PAGE {
                page.push((h.id, h.stamp));
            }
            seen += 1;
        }
        if page.len() >= SITEMAP_PAGE {
            break;
        }
    }
    Ok((n == 1 || !page.is_empty()).then_some(page))
}

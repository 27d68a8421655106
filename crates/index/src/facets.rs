//! Facet counts over every matching document, from a per-segment table of facet ordinals.
//!
//! Reading five fast-field columns per matching document (optional-index rank, then the
//! bit-packed value) cost ~40 ns a document: at 100k documents it was a sixth of a search and
//! it grows with the number of matches. So each segment's facet values are turned once into a
//! dense table of ordinals, one 24-byte row per document, built by a tantivy [`Warmer`] when a
//! segment first becomes searchable and dropped when it is merged away. Counting is then one
//! row read and five increments per match, plus the multi-valued facets the row's mask
//! names; matches are counted 64 at a time, their rows gathered first (see
//! `SegmentFacets::count_block`). Counts stay by ordinal until the segments are merged, and
//! strings are copied only for the values reported (a facet's `limit` most frequent: the
//! reading room shows 30, the API 100 unless asked for more).
//! The decade is derived from the year afterwards (a document's decade is its first year's
//! decade, as `Document::decade` defines it).
//!
//! The link stage's and the ledger's facets (`person`, `place`, `country_pair`, `issue`,
//! `party`) can hold several values a document; each segment keeps them as one
//! compressed-row table per field (a start offset per document into one array of
//! ordinals), built the same way.
//!
//! Memory: 24 bytes a document (24 MB at a million documents), 4 bytes a document and a
//! value for each multi-valued facet, and the facet values, plus the counts of one search.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SearcherGeneration, SegmentOrdinal, SegmentReader, Warmer};

use crate::FacetCount;

/// Keyword facets counted by ordinal (all single-valued `STRING | FAST` fields).
const KEYWORD_FACETS: [&str; 4] = ["collection", "doc_type", "classification", "language"];
const NONE: u32 = u32::MAX;
/// Multi-valued keyword facets: (index field, facet name reported).
const MULTI_FACETS: [(&str, &str); 5] = [
    ("person_id", "person"),
    ("place_id", "place"),
    ("country_pair", "country_pair"),
    ("issue", "issue"),
    ("party", "party"),
];

/// One document's facet ordinals: the four keyword facets, then the year's offset from the
/// segment's first year, then a bit mask of the multi-valued facets the document has values
/// in (bit `i` for `MULTI_FACETS[i]`). Most documents have none in most of them (the ledger's
/// facets are rare), so counting skips their tables without reading them.
type Row = [u32; 6];
const YEAR: usize = 4;
const MULTI: usize = 5;
/// The row of a document with no facet values.
const EMPTY_ROW: Row = [NONE, NONE, NONE, NONE, NONE, 0];

/// The facet table of one segment.
pub(crate) struct SegmentTable {
    rows: Vec<Row>,
    /// Each keyword facet's values by ordinal. Read once, in one pass over the column's
    /// dictionary: looking values up per search (`ord_to_str`) decompressed a dictionary
    /// block per value, 40 ms a search at a million documents in 2,000 volumes.
    values: Vec<Vec<String>>,
    year_min: i64,
    years: usize,
    multi: Vec<MultiTable>,
}

/// One multi-valued facet of a segment: document `d`'s ordinals are
/// `ords[starts[d]..starts[d + 1]]`.
struct MultiTable {
    starts: Vec<u32>,
    ords: Vec<u32>,
    values: Vec<String>,
}

impl MultiTable {
    fn build(column: Option<StrColumn>, max_doc: usize) -> tantivy::Result<MultiTable> {
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut ords = Vec::new();
        let mut values = Vec::new();
        starts.push(0);
        match &column {
            Some(c) => {
                for doc in 0..max_doc {
                    ords.extend(c.ords().values_for_doc(doc as DocId).filter_map(|o| u32::try_from(o).ok()));
                    starts.push(u32::try_from(ords.len()).unwrap_or(u32::MAX));
                }
                let mut terms = c.dictionary().stream()?;
                while terms.advance() {
                    values.push(String::from_utf8_lossy(terms.key()).into_owned());
                }
            }
            None => starts.resize(max_doc + 1, 0),
        }
        Ok(MultiTable { starts, ords, values })
    }

    fn ords(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.starts.get(d), self.starts.get(d + 1)) {
            (Some(&a), Some(&b)) => self.ords.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl SegmentTable {
    fn build(segment: &SegmentReader) -> tantivy::Result<SegmentTable> {
        let fast = segment.fast_fields();
        let max_doc = segment.max_doc() as usize;
        let mut rows = vec![EMPTY_ROW; max_doc];
        let mut values = Vec::new();
        for (i, name) in KEYWORD_FACETS.iter().enumerate() {
            let column: Option<StrColumn> = fast.str(name)?;
            let mut names = Vec::new();
            if let Some(c) = &column {
                for (doc, row) in rows.iter_mut().enumerate() {
                    if let Some(ord) = c.ords().first(doc as DocId) {
                        row[i] = u32::try_from(ord).unwrap_or(NONE);
                    }
                }
                let mut terms = c.dictionary().stream()?;
                while terms.advance() {
                    names.push(String::from_utf8_lossy(terms.key()).into_owned());
                }
            }
            values.push(names);
        }
        let year = fast.i64("year")?;
        let year_min = year.min_value();
        let mut years = 0usize;
        for (doc, row) in rows.iter_mut().enumerate() {
            if let Some(y) = year.first(doc as DocId) {
                if let Ok(offset) = u32::try_from(y - year_min) {
                    if offset < NONE {
                        row[YEAR] = offset;
                        years = years.max(offset as usize + 1);
                    }
                }
            }
        }
        let mut multi = Vec::with_capacity(MULTI_FACETS.len());
        for (i, (field, _)) in MULTI_FACETS.iter().enumerate() {
            let table = MultiTable::build(fast.str(field)?, max_doc)?;
            for (doc, row) in rows.iter_mut().enumerate() {
                if !table.ords(doc as DocId).is_empty() {
                    row[MULTI] |= 1 << i;
                }
            }
            multi.push(table);
        }
        Ok(SegmentTable { rows, values, year_min, years, multi })
    }
}

/// The facet tables of the searchable segments (a tantivy warmer).
#[derive(Default)]
pub(crate) struct FacetTables {
    tables: Mutex<HashMap<SegmentId, Arc<SegmentTable>>>,
}

impl FacetTables {
    fn table(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentTable>> {
        let id = segment.segment_id();
        if let Some(t) = self.lock().get(&id) {
            return Ok(t.clone());
        }
        let table = Arc::new(SegmentTable::build(segment)?);
        self.lock().insert(id, table.clone());
        Ok(table)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentTable>>> {
        // A panic while holding the lock cannot leave the map inconsistent (inserts are atomic).
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Warmer for FacetTables {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.table(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        self.lock().retain(|id, _| live.iter().any(|g| g.segments().contains_key(id)));
    }
}

/// The collector: counts of every facet value over the matching documents, each facet cut
/// to its `limit` most frequent values (0: every value). Years and decades are never cut.
pub(crate) struct Facets {
    pub(crate) tables: Arc<FacetTables>,
    pub(crate) limit: usize,
}

/// What [`Facets`] gives: the counted values of each facet, and how many distinct values
/// each facet had among the matches before it was cut to the limit.
#[derive(Default)]
pub(crate) struct FacetResults {
    pub(crate) counts: BTreeMap<String, Vec<FacetCount>>,
    pub(crate) distinct: BTreeMap<String, usize>,
}

pub(crate) struct SegmentFacets {
    counts: SegmentCounts,
    /// Matches not yet counted (see `collect`).
    pending: Vec<DocId>,
}

/// One segment's counts by ordinal, with the table whose values the ordinals index. Values
/// are turned into strings only in `merge_fruits`, and only for the values reported: at a
/// million documents a common word matches 2,000 volumes and thousands of people, and
/// cloning every counted value of every segment was a visible part of a search.
pub(crate) struct SegmentCounts {
    table: Arc<SegmentTable>,
    keywords: [Vec<u32>; 4],
    years: Vec<u32>,
    multi: Vec<Vec<u32>>,
}

impl SegmentCounts {
    /// Facet `i` (the keyword facets, then the multi-valued ones): its values by ordinal and
    /// this segment's count of each.
    fn facet(&self, i: usize) -> (&[String], &[u32]) {
        match i.checked_sub(KEYWORD_FACETS.len()) {
            None => (&self.table.values[i], &self.keywords[i]),
            Some(m) => (&self.table.multi[m].values, &self.multi[m]),
        }
    }
}

impl Collector for Facets {
    type Fruit = FacetResults;
    type Child = SegmentFacets;

    fn for_segment(&self, _ord: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let table = self.tables.table(segment)?;
        let sizes: Vec<usize> = table.values.iter().map(Vec::len).collect();
        let keywords = [vec![0; sizes[0]], vec![0; sizes[1]], vec![0; sizes[2]], vec![0; sizes[3]]];
        let years = vec![0; table.years];
        let multi = table.multi.iter().map(|m| vec![0; m.values.len()]).collect();
        Ok(SegmentFacets {
            counts: SegmentCounts { table, keywords, years, multi },
            pending: Vec::with_capacity(GATHER),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentCounts>) -> tantivy::Result<Self::Fruit> {
        let mut out = FacetResults::default();
        let names = KEYWORD_FACETS.iter().copied().chain(MULTI_FACETS.iter().map(|(_, name)| *name));
        for (i, name) in names.enumerate() {
            let mut merged: FxHashMap<&str, u64> = FxHashMap::default();
            for seg in &segments {
                let (values, counts) = seg.facet(i);
                for (value, &n) in values.iter().zip(counts) {
                    if n > 0 {
                        *merged.entry(value.as_str()).or_default() += u64::from(n);
                    }
                }
            }
            out.distinct.insert(name.to_string(), merged.len());
            let mut list: Vec<(&str, u64)> = merged.into_iter().collect();
            let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
            if self.limit > 0 && list.len() > self.limit {
                list.select_nth_unstable_by(self.limit - 1, order);
                list.truncate(self.limit);
            }
            list.sort_unstable_by(order);
            let list = list.into_iter().map(|(v, count)| FacetCount { value: v.to_string(), count, label: None });
            out.counts.insert(name.to_string(), list.collect());
        }
        let mut years: BTreeMap<i64, u64> = BTreeMap::new();
        for seg in &segments {
            for (offset, &n) in seg.years.iter().enumerate().filter(|(_, &n)| n > 0) {
                *years.entry(seg.table.year_min + offset as i64).or_default() += u64::from(n);
            }
        }
        let mut decades: BTreeMap<i64, u64> = BTreeMap::new();
        for (&y, &n) in &years {
            *decades.entry(y - y.rem_euclid(10)).or_default() += n;
        }
        out.distinct.insert("year".to_string(), years.len());
        out.distinct.insert("decade".to_string(), decades.len());
        out.counts.insert(
            "year".to_string(),
            years.into_iter().map(|(y, count)| FacetCount { value: y.to_string(), count, label: None }).collect(),
        );
        out.counts.insert(
            "decade".to_string(),
            decades.into_iter().map(|(d, count)| FacetCount { value: format!("{d}s"), count, label: None }).collect(),
        );
        Ok(out)
    }
}

impl SegmentCounts {
    /// Count one document from its row (the multi-valued facets its mask names included).
    #[inline]
    fn count(&mut self, doc: DocId, row: &Row) {
        for (counts, &ord) in self.keywords.iter_mut().zip(row.iter()) {
            if let Some(n) = counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
        if let Some(n) = self.years.get_mut(row[YEAR] as usize) {
            *n += 1;
        }
        let mut mask = row[MULTI];
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if let (Some(table), Some(counts)) = (self.table.multi.get(i), self.multi.get_mut(i)) {
                for &ord in table.ords(doc) {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                }
            }
        }
    }
}

/// Matches counted at a time (their rows gathered first) by `count_block`.
const GATHER: usize = 64;

impl SegmentFacets {
    /// Count a block of matches: their rows are copied out first, in a loop of independent
    /// loads the processor overlaps, then counted. The rows of a rare word's matches lie far
    /// apart, each a cache miss, and reading them one match at a time, between the scorer's
    /// steps, was most of such a search (issue 4's profile at a million documents).
    fn count_block(&mut self, docs: &[DocId]) {
        let mut rows = [EMPTY_ROW; GATHER];
        for chunk in docs.chunks(GATHER) {
            let table = &self.counts.table.rows;
            for (row, &doc) in rows.iter_mut().zip(chunk) {
                *row = table.get(doc as usize).copied().unwrap_or(EMPTY_ROW);
            }
            for (row, &doc) in rows.iter().zip(chunk) {
                self.counts.count(doc, row);
            }
        }
    }

    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.count_block(&pending);
        self.pending = pending;
        self.pending.clear();
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentCounts;

    /// A scored search hands over one match at a time: they are kept and counted a block at
    /// a time.
    #[inline]
    fn collect(&mut self, doc: DocId, _score: Score) {
        self.pending.push(doc);
        if self.pending.len() >= GATHER {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.count_block(docs);
    }

    fn harvest(mut self) -> SegmentCounts {
        self.flush();
        self.counts
    }
}

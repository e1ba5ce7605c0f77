/* The search key of tttt_kg.graph.vietnamese.search_key, in the browser: typed text and the
   keys precomputed per node then compare equal across hoá/hóa, missing diacritics, case and
   the administrative abbreviations (the table comes from Python, in the page data). */
function tkgSearchKey(text, abbreviations) {
  var s = String(text).normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
  var keys = Object.keys(abbreviations || {}).sort(function (a, b) { return b.length - a.length; });
  if (keys.length) {
    var escaped = keys.map(function (k) { return k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var re = new RegExp("(?<![\\p{L}\\p{N}_])(" + escaped.join("|") + ")(?![\\p{L}\\p{N}_])", "gu");
    s = s.replace(re, function (m) { return abbreviations[m]; });
  }
  s = s.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC").toLowerCase();
  return s.replace(/[^\p{L}\p{N}_&]+/gu, " ").replace(/\s+/g, " ").trim();
}

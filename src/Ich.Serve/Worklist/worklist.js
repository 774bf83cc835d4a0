// Worklist of `ich serve` (GET /). Reads /api/studies with the bearer token kept in sessionStorage,
// sorts by suspicion and builds every cell with textContent: nothing from the API is parsed as HTML.
(function () {
  "use strict";
  var TOKEN_KEY = "ichToken";
  var REFRESH_MS = 5000;
  var rows = document.getElementById("rows");
  var message = document.getElementById("message");
  var updated = document.getElementById("updated");

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

  function headers() {
    var t = token();
    return t ? { "Authorization": "Bearer " + t } : {};
  }

  // Flagged first, then the highest "any" maximum, then the newest.
  function bySuspicion(a, b) {
    if (a.triage !== b.triage) return a.triage ? -1 : 1;
    var ma = typeof a.maxAny === "number" ? a.maxAny : -1;
    var mb = typeof b.maxAny === "number" ? b.maxAny : -1;
    if (ma !== mb) return mb - ma;
    return a.received < b.received ? 1 : a.received > b.received ? -1 : 0;
  }

  function cell(tr, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
  }

  function render(studies) {
    studies.sort(bySuspicion);
    var body = document.createDocumentFragment();
    studies.forEach(function (s) {
      var tr = document.createElement("tr");
      tr.tabIndex = 0;
      tr.dataset.studyUid = String(s.studyInstanceUid);
      if (s.triage) tr.className = "flagged";
      cell(tr, s.triage ? "FLAG" : "", "flag");
      cell(tr, typeof s.maxAny === "number" ? s.maxAny.toFixed(3) : "", "num");
      cell(tr, Array.isArray(s.flaggedClasses) ? s.flaggedClasses.join(", ") : "");
      cell(tr, String(s.status) + (s.error ? " — " + String(s.error) : ""));
      cell(tr, s.received ? new Date(s.received).toLocaleString() : "");
      cell(tr, String(s.accessionNumber || ""));
      cell(tr, String(s.studyInstanceUid), "uid");
      tr.addEventListener("click", function () { openStudy(s); });
      tr.addEventListener("keydown", function (e) { if (e.key === "Enter") openStudy(s); });
      body.appendChild(tr);
    });
    rows.replaceChildren(body);
  }

  function refresh() {
    fetch("/api/studies", { headers: headers(), cache: "no-store" }).then(function (r) {
      if (r.status === 401) { message.textContent = "Enter the access token of this service."; return null; }
      if (!r.ok) { message.textContent = "The service answered " + r.status + "."; return null; }
      return r.json();
    }).then(function (studies) {
      if (!studies) return;
      message.textContent = "";
      render(studies);
      updated.textContent = "updated " + new Date().toLocaleTimeString();
    }).catch(function (e) { message.textContent = "Cannot reach the service: " + e; });
  }

  // Opens the report at the most suspicious slice (highest "any"). A plain link cannot carry the bearer
  // header, so with a token the report is fetched and opened from a blob URL.
  function openStudy(s) {
    if (s.status !== "done") { message.textContent = "No result yet for this study (" + s.status + ")."; return; }
    var base = "/api/studies/" + encodeURIComponent(s.studyInstanceUid);
    var viewer = window.open("", "_blank");
    fetch(base, { headers: headers() }).then(function (r) { return r.json(); }).then(function (detail) {
      var best = 0, bestP = -1;
      (detail.slices || []).forEach(function (slice) {
        var p = slice.probabilities ? slice.probabilities.any : -1;
        if (p > bestP) { bestP = p; best = slice.index; }
      });
      var fragment = "#slice=" + best;
      if (!token()) { viewer.location = base + "/report" + fragment; return; }
      return fetch(base + "/report", { headers: headers() }).then(function (r) { return r.blob(); }).then(function (blob) {
        viewer.location = URL.createObjectURL(blob) + fragment;
      });
    }).catch(function (e) { message.textContent = "Cannot open the report: " + e; if (viewer) viewer.close(); });
  }

  document.getElementById("auth").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = document.getElementById("token");
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = "";
    refresh();
  });

  refresh();
  setInterval(refresh, REFRESH_MS);
})();

// Prefetch lab: the widget's script tag is written from the page's query, so one page covers
// every case: ?ask=1 (a data-earshot-ask button), ?prefetch=none, ?savedata=1 (the browser's
// Save-Data preference, as navigator.connection reports it), ?site=ID (another site), ?lang=TAG
// (the page's language, as a site in that language would have it).
(function () {
  var q = new URLSearchParams(location.search);
  if (q.get("savedata")) {
    try { Object.defineProperty(navigator, "connection", { value: { saveData: true }, configurable: true }); } catch (e) {}
  }
  if (q.get("ask")) {
    document.addEventListener("DOMContentLoaded", function () {
      var b = document.createElement("button");
      b.id = "ask";
      b.setAttribute("data-earshot-ask", "lab-prefetch");
      b.setAttribute("data-earshot-kind", "csat");
      b.textContent = "Rate this page";
      document.body.appendChild(b);
    });
  }
  var s = document.createElement("script");
  s.src = "/widget.js";
  s.async = true;
  s.setAttribute("data-site", q.get("site") || "demo");
  if (q.get("prefetch")) s.setAttribute("data-prefetch", q.get("prefetch"));
  if (q.get("lang")) document.documentElement.lang = q.get("lang");
  document.head.appendChild(s);
})();

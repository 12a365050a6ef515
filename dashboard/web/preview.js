// The live preview of the settings page (framed by the dashboard, sandboxed): the dashboard
// posts {site, touchpoint, kind, lang, theme, config}; this page hands the config to the real
// loader (`data-preview`: no fetch of the site's config) and asks once.
(function (w, d) {
  w.addEventListener("message", function (e) {
    var m = e.data;
    if (!m || typeof m !== "object" || !m.site || !m.touchpoint || w.earshotPreview) return;
    w.earshotPreview = m.config;
    d.documentElement.lang = m.lang || "en";
    var s = d.createElement("script");
    s.src = "/widget.js";
    s.setAttribute("data-site", m.site);
    s.setAttribute("data-preview", "1");
    s.setAttribute("data-prefetch", "none");
    s.setAttribute("data-lang", m.lang || "en");
    s.setAttribute("data-theme", m.theme || "auto");
    s.setAttribute("data-position", "inline:#stage");
    s.onload = function () {
      w.earshot("on", "shown", function () { d.body.setAttribute("data-shown", "1"); });
      w.earshot("ask", { touchpoint: m.touchpoint, kind: m.kind });
    };
    d.head.appendChild(s);
  });
})(window, document);

/* Earshot loader: the only script a host page downloads before the first ask.
   `cargo xtask build` fills in the hashed module names and serves this as /widget.js. */
(function (w, d) {
  var s = d.currentScript, site = s && s.getAttribute("data-site");
  if (!site) return;
  var ep = new URL(s.src).origin, q = (w.earshot && w.earshot.q) || [], on = {}, attrs = {}, p;
  function attr(n) { return s.getAttribute("data-" + n) || ""; }
  function emit(n, x) { (on[n] || []).forEach(function (f) { try { f(x); } catch (e) {} }); }
  function load() {
    return p || (p = import(ep + "/widget/__GLUE__").then(function (m) {
      return m.default({ module_or_path: ep + "/widget/__WASM__" }).then(function () {
        m.boot(ep, site, attr("lang") || d.documentElement.lang || navigator.language || "en",
          attr("theme") || "auto", attr("accent"), emit);
        return m;
      });
    }).catch(function (e) { p = 0; emit("error", String(e)); throw e; }));
  }
  function earshot(c, a, f) {
    if (c === "on") { (on[a] = on[a] || []).push(f); return; }
    if (c === "identify") { var x = (a && a.attributes) || {}; for (var k in x) attrs[k] = String(x[k]); return; }
    load().then(function (m) { m.command(c, a || {}, attrs); }, function () {});
  }
  w.earshot = earshot;
  for (var i = 0; i < q.length; i++) earshot.apply(null, q[i]);
  d.addEventListener("click", function (e) {
    var t = e.target && e.target.closest && e.target.closest("[data-earshot-ask]");
    if (t) earshot("ask", { touchpoint: t.getAttribute("data-earshot-ask"), kind: t.getAttribute("data-earshot-kind") || "csat" });
  });
  // Answers an earlier page could not deliver are sent as soon as the browser is idle.
  try { if (localStorage.getItem("earshot:outbox:" + site)) (w.requestIdleCallback || setTimeout)(load); } catch (e) {}
})(window, document);

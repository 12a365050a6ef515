/* Earshot loader: the only script a host page downloads before the first ask.
   `cargo xtask build` fills in the hashed module names and serves this, minified, as /widget.js. */
(function (w, d) {
  var s = d.currentScript, site = s && s.getAttribute("data-site");
  if (!site) return;
  var ep = new URL(s.src).origin, q = (w.earshot && w.earshot.q) || [], on = {}, attrs = {}, p, c;
  function attr(n) { return s.getAttribute("data-" + n) || ""; }
  function emit(n, x) { (on[n] || []).forEach(function (f) { try { f(x); } catch (e) {} }); }
  // The site's public config (prompts, throttle, sampling); cached by the browser.
  function config() {
    return c || (c = json(ep + "/v1/sites/" + site + "/config"));
  }
  function json(u) { return fetch(u).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; }); }
  function load() {
    // The wasm, the config and the page language's strings download together with the glue.
    var lang = attr("lang") || d.documentElement.lang || navigator.language || "en", l = lang.split(/[-_]/)[0].toLowerCase();
    return p || (p = Promise.all([import(ep + "/widget/__GLUE__"), config(), fetch(ep + "/widget/__WASM__"),
      " __LANGS__ ".indexOf(" " + l + " ") < 0 ? {} : json(ep + "/widget/__I18N__/" + l + ".json")]).then(function (a) {
      var m = a[0];
      return m.default({ module_or_path: a[2] }).then(function () {
        m.boot(ep, site, { lang: lang, theme: attr("theme"), accent: attr("accent"), position: attr("position") }, a[1], a[3], emit);
        return m;
      });
    }).catch(function (e) { p = 0; emit("error", String(e)); throw e; }));
  }
  function earshot(cmd, a, f) {
    if (cmd === "on") { (on[a] = on[a] || []).push(f); return; }
    if (cmd === "identify") { var x = (a && a.attributes) || {}; for (var k in x) attrs[k] = String(x[k]); return; }
    load().then(function (m) { m.command(cmd, a || {}, attrs); }, function () {});
  }
  w.earshot = earshot;
  for (var i = 0; i < q.length; i++) earshot.apply(null, q[i]);
  d.addEventListener("click", function (e) {
    var t = e.target && e.target.closest && e.target.closest("[data-earshot-ask]");
    if (t) earshot("ask", { touchpoint: t.getAttribute("data-earshot-ask"), kind: t.getAttribute("data-earshot-kind") || undefined });
  });
  (w.requestIdleCallback || setTimeout)(function () {
    // Page rules: ask on matching pages after the configured delay.
    config().then(function (cfg) {
      var ps = cfg.prompts || {};
      Object.keys(ps).forEach(function (t) {
        var r = ps[t];
        if (r.page_prefix && location.pathname.indexOf(r.page_prefix) === 0)
          setTimeout(function () { earshot("ask", { touchpoint: t }); }, r.delay_ms || 0);
      });
    });
    // Answers an earlier page could not deliver are sent now.
    try { if (localStorage.getItem("earshot:outbox:" + site)) load(); } catch (e) {}
  });
})(window, document);

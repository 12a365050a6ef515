/* Earshot loader: the only script a host page downloads before the first ask.
   `cargo xtask build` fills in the hashed module names and serves this, minified, as /widget.js.
   It must survive any host page: every call from the page is guarded, nothing but
   `window.earshot` is made global, and a second copy of the script tag is a no-op. */
((w, d) => {
  var s = d.currentScript, site = s && s.getAttribute("data-site"), old = w.earshot;
  if (!site || (old && old.loaded)) return;
  var ep = new URL(s.src).origin, q = (old && old.q) || [], on = Object.create(null), attrs = {}, st = {}, p, c, mo;
  var attr = (n) => { return s.getAttribute("data-" + n) || ""; };
  var emit = (n, x) => { (on[n] || []).forEach((f) => { try { f(x); } catch (e) {} }); };
  var json = (u, b) => { return fetch(u, b && { method: "POST", body: b }).then((r) => { return r.ok ? r.json() : null; }).catch(() => { return null; }); };
  // The site's public config (prompts, texts, throttle, sampling); cached by the browser. A
  // failure is not remembered (the next ask tries again) and is reported; the widget then asks
  // only where the page names the kind itself.
  var config = () => {
    // The settings page's preview hands over the owner's draft instead.
    return c || (c = (attr("preview") ? Promise.resolve(w.earshotPreview || null) : json(ep + "/v1/sites/" + site + "/config")).then((x) => {
      if (!x) { c = 0; emit("error", "the site's settings could not be loaded"); }
      return x;
    }));
  };
  // The page's language now (a page may set it after the loader ran).
  var lang = () => { return attr("lang") || d.documentElement.lang || navigator.language || "en"; };
  // A language's strings, fetched once (a prefetch's copy serves the ask; a failure is retried),
  // and its digits readied: the first number a page formats costs 10–20 ms of the browser's
  // locale data (Intl), paid here in a task of its own while the modules download or at idle,
  // not when the prompt renders — and not at all for a language in Latin script naming no
  // numbering system, whose digits the widget writes without Intl (`text::latin_digits`).
  var strings = (t) => {
    setTimeout(() => { try { /-Latn(?!.*-nu-)/.test(new Intl.Locale(t).maximize()) || (0).toLocaleString(t); } catch (e) {} });
    var l = t.split(/[-_]/)[0].toLowerCase();
    return " __LANGS__ ".indexOf(" " + l + " ") < 0 ? null : st[l] || (st[l] = json(ep + "/widget/__I18N__/" + l + ".json").then((x) => {
      if (!x) delete st[l];
      return x;
    }));
  };
  // The glue and the wasm, instantiated but not booted: what a prefetch readies before anything
  // is asked. Compiled as it streams in (served as application/wasm), which also lets the
  // browser cache the compiled code for the next page.
  var modules = () => {
    return mo || (mo = Promise.all([import(ep + "/widget/__GLUE__"),
      WebAssembly.compileStreaming(fetch(ep + "/widget/__WASM__"))
    ]).then((a) => {
      return a[0].default({ module_or_path: a[1] }).then(() => { return a[0]; });
    }).catch((e) => { mo = 0; throw e; }));
  };
  var load = () => {
    // The wasm, the config and the page language's strings download together with the glue.
    var t = lang();
    return p || (p = Promise.all([modules(), config(), strings(t)]).then((a) => {
      a[0].boot(ep, site, { lang: t, theme: attr("theme"), accent: attr("accent"), position: attr("position") }, a[1], a[2], emit);
      return a[0];
    }).catch((e) => { p = 0; emit("error", String(e)); throw e; }));
  };
  function earshot(cmd, a, f) {
    if (cmd === "on") { if (typeof a === "string" && typeof f === "function") (on[a] = on[a] || []).push(f); return; }
    if (cmd === "identify") {
      var x = (a && a.attributes) || {};
      for (var k in x) {
        var v = void 0; try { v = x[k]; } catch (e) {}
        if (/^(string|number|boolean)$/.test(typeof v)) attrs[k] = String(v);
        else emit("error", "identify: attribute " + k + " is not text");
      }
      return;
    }
    load().then((m) => { m.command(String(cmd), a || {}, attrs); }, () => {});
  }
  earshot.loaded = 1;
  w.earshot = earshot;
  for (var i = 0; i < q.length; i++) try { earshot.apply(null, q[i]); } catch (e) {}
  d.addEventListener("click", (e) => {
    var t = e.target && e.target.closest && e.target.closest("[data-earshot-ask]");
    if (t) earshot("ask", { touchpoint: t.getAttribute("data-earshot-ask"), kind: t.getAttribute("data-earshot-kind") || undefined });
  });
  // Page rules: ask on pages under the rule's path (`/account` covers `/account/orders`, not
  // `/accounting`) after the configured delay — if the page is still there by then. Single-page
  // apps change the path without loading: it is checked again every second.
  var under = (path, pre) => {
    return typeof pre === "string" && path.indexOf(pre) === 0 &&
      (pre.slice(-1) === "/" || path.length === pre.length || /[\/.]/.test(path.charAt(pre.length)));
  };
  // A touchpoint the widget recorded as throttled until later (`earshot:until:`) is skipped
  // without loading anything: the rule itself stays in the widget.
  var rules = (cfg, path) => {
    var ps = (cfg && cfg.prompts) || {}, n = 0, un = {};
    try { un = JSON.parse(localStorage.getItem("earshot:until:" + site)) || {}; } catch (e) {}
    Object.keys(ps).forEach((t) => {
      var r = ps[t] || {};
      if (under(path, r.page_prefix) && !(un[t] > Date.now())) {
        n++;
        setTimeout(() => { if (location.pathname === path) earshot("ask", { touchpoint: t }); }, r.delay_ms || 0);
      }
    });
    return n;
  };
  // Ready before it is asked: at idle, a page that may ask (a page rule for it, an element with
  // data-earshot-ask) fetches and compiles the widget — unless data-prefetch="none" or the
  // browser asks to save data.
  var cn = navigator.connection, pre = attr("prefetch") !== "none" && !(cn && cn.saveData);
  (w.requestIdleCallback || setTimeout)(() => {
    var seen = location.pathname;
    config().then((cfg) => {
      if ((rules(cfg, seen) || d.querySelector("[data-earshot-ask]")) && pre) { modules().then((m) => { m.warm(); }, () => {}); strings(lang()); }
      setInterval(() => {
        if (location.pathname !== seen) { seen = location.pathname; config().then((c2) => { rules(c2, seen); }); }
      }, 1000);
    });
    // Answers an earlier page could not deliver are sent now.
    try {
      var box = "earshot:outbox:" + site;
      for (var j = 0; j < localStorage.length; j++) {
        var k = localStorage.key(j) || "";
        if (k === box || k.indexOf(box + ":") === 0) { load(); break; }
      }
    } catch (e) {}
    // This browser's negative answers (ids, remembered by the widget): the widget loads only
    // when the owner has resolved one's case since, to ask about it again (text/plain: no preflight).
    try {
      var cs = JSON.parse(localStorage.getItem("earshot:cases:" + site)) || [];
      if (cs.length) json(ep + "/v1/sites/" + site + "/follow-ups", JSON.stringify({ ids: cs.map((r) => { return r.id; }) })).then((x) => {
        var due = (x && x.due) || [];
        cs.some((r) => { return due.indexOf(r.id) >= 0 && (earshot("follow-up", { id: r.id }), 1); });
      });
    } catch (e) {}
  });
})(window, document);

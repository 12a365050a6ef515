// Northwind Coffee's own page code. Earshot is used only through its public API.

// The Earshot queue snippet: calls made before widget.js has loaded are kept and replayed.
window.earshot = window.earshot || function () { (earshot.q = earshot.q || []).push(arguments); };

// Language (?lang=en|ru|bg|fa) and theme (?theme=light|dark) switchers for the demo. The widget
// follows <html lang> (and mirrors itself for right-to-left languages).
(function () {
  var params = new URLSearchParams(location.search);
  var lang = params.get("lang");
  var theme = params.get("theme");
  if (lang) {
    document.documentElement.lang = lang;
    document.documentElement.dir = ["fa", "ar", "he"].indexOf(lang) >= 0 ? "rtl" : "ltr";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var tag = document.querySelector("script[data-site]");
    if (theme && tag) tag.setAttribute("data-theme", theme);
    if (theme === "dark") document.body.classList.add("dark");
    // Keep the chosen language and theme when moving between pages.
    document.querySelectorAll("a[data-keep]").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), location.href);
      if (lang && !url.searchParams.has("lang")) url.searchParams.set("lang", lang);
      if (theme) url.searchParams.set("theme", theme);
      a.setAttribute("href", url.pathname + url.search);
    });
    var current = document.documentElement.lang || "en";
    document.querySelectorAll("[data-lang-link]").forEach(function (a) {
      if (a.getAttribute("data-lang-link") === current) a.setAttribute("aria-current", "true");
    });

    // Moment 1: right after checkout, ask how it went (CSAT).
    var order = document.getElementById("place-order");
    if (order) order.addEventListener("click", function () {
      document.getElementById("cart").hidden = true;
      document.getElementById("confirmation").hidden = false;
      document.getElementById("order-number").textContent = "#" + (10000 + Math.floor(Math.random() * 89999));
      earshot("ask", { touchpoint: "checkout", kind: "csat" });
    });

    // Moment 2: when a support chat ends, ask how easy it was (CES, with a comment).
    var end = document.getElementById("end-chat");
    if (end) end.addEventListener("click", function () {
      end.disabled = true;
      document.getElementById("chat-status").textContent = "Chat ended. Thanks for contacting us!";
      earshot("ask", { touchpoint: "support-chat", kind: "ces" });
    });

    // Moment 3: onboarding steps ask declaratively (data-earshot-ask); mark them done here.
    document.querySelectorAll("[data-earshot-ask='onboarding']").forEach(function (b) {
      b.addEventListener("click", function () { b.closest("li").classList.add("done"); b.disabled = true; });
    });

    // Moment 4 needs no code: the account page is asked (NPS) by a page rule in the site config.

    // Show what the widget reports, for the curious.
    ["shown", "submitted", "dismissed", "error"].forEach(function (name) {
      earshot("on", name, function (detail) {
        var log = document.getElementById("earshot-log");
        if (!log) return;
        var li = document.createElement("li");
        li.textContent = name + (detail && detail.touchpoint ? " · " + detail.touchpoint : "");
        log.appendChild(li);
      });
    });
  });
})();

// Cross-origin embedding, as on a customer's site: this page is served from one origin and the
// widget from another (localhost ↔ 127.0.0.1, same port). The script tag is added here only
// because a static page cannot know the other origin's port in advance.
(function () {
  var other = location.hostname === "localhost" ? "127.0.0.1" : "localhost";
  var tag = document.createElement("script");
  tag.src = location.protocol + "//" + other + ":" + location.port + "/widget.js";
  tag.async = true;
  tag.setAttribute("data-site", "demo");
  document.head.appendChild(tag);
})();

// Widget lab: the queue snippet, plus a record of what the widget and the browser report, so
// tests (and curious owners) can see it: events in window.earshotLog, CSP violations in
// window.cspViolations.
window.earshot = window.earshot || function () { (earshot.q = earshot.q || []).push(arguments); };
window.earshotLog = [];
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
["shown", "submitted", "dismissed", "error"].forEach(function (name) {
  earshot("on", name, function (detail) { window.earshotLog.push({ event: name, detail: detail }); });
});

// The Earshot queue snippet: calls made before widget.js has loaded are kept and replayed.
window.earshot = window.earshot || function () { (earshot.q = earshot.q || []).push(arguments); };

document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("place-order");
  button.addEventListener("click", function () {
    document.getElementById("cart").hidden = true;
    document.getElementById("confirmation").hidden = false;
    document.getElementById("order-number").textContent = "#" + (10000 + Math.floor(Math.random() * 89999));
    // Right after the interaction: ask how it went.
    earshot("ask", { touchpoint: "checkout", kind: "csat" });
  });
});

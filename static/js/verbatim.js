// Progressive enhancement: without JavaScript the citation is still there to select and copy.
// Loaded from a file, never inline, so the Content-Security-Policy can forbid inline scripts.
document.querySelectorAll(".copy-button").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = document.getElementById(button.dataset.copyTarget).value;
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy citation"; }, 2500);
    });
  });
});

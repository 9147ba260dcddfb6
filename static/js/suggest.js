// The suggest page: when an "Add official" popup saves, re-read the speakers at once.
// Django's RelatedObjectLookups sets the hidden input named after the popup and triggers a
// jQuery change event on it; submitting with the "Re-read speakers" button keeps the rows.
"use strict";
window.addEventListener("load", function () {
  const $ = window.django && window.django.jQuery;
  const reread = document.getElementById("reread");
  if (!$ || !reread) {
    return;
  }
  $("input.added-official").on("change", function () {
    reread.click();
  });
});

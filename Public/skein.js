// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // Search: choosing a service reloads the form so the operation list matches it.
    var service = document.querySelector("select[data-autosubmit]");
    if (service && service.form) {
      service.addEventListener("change", function () {
        var operation = service.form.querySelector("[name=operation]");
        if (operation) { operation.value = ""; }
        service.form.submit();
      });
    }

    // Search: the custom range fields only matter with "Custom range" chosen.
    var lookback = document.querySelector("select[name=lookback]");
    var custom = document.querySelector(".custom-range");
    if (lookback && custom) {
      var sync = function () { custom.classList.toggle("is-hidden", lookback.value !== "custom"); };
      lookback.addEventListener("change", sync);
      sync();
    }

    // Waterfall: expand / collapse every subtree at once.
    var tools = document.querySelector(".wf-tools");
    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (event) {
        var action = event.target && event.target.getAttribute("data-wf");
        if (!action) { return; }
        var groups = document.querySelectorAll(".waterfall details.grp");
        for (var i = 0; i < groups.length; i++) { groups[i].open = action === "expand"; }
      });
    }
  });
})();

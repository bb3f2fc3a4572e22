// The disruption desk's page: live sections from the server, decisions without a reload.
// The server sends each section's HTML already escaped; a case that did not change is kept
// as it is (with the boxes ticked in it), so an update never undoes what a person is doing.
"use strict";

(function () {
  const announce = (message) => {
    const region = document.getElementById("announce");
    if (region) region.textContent = message;
  };

  const applySection = (name, markup) => {
    const section = document.getElementById(name);
    if (!section) return;
    const fresh = document.createElement("template");
    fresh.innerHTML = markup;
    for (const article of fresh.content.querySelectorAll("article[data-digest]")) {
      const old = document.getElementById(article.id);
      if (old && old.dataset.digest === article.dataset.digest) article.replaceWith(old);
    }
    section.replaceChildren(fresh.content);
  };

  const connection = (text, live) => {
    const status = document.getElementById("connection");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("live", live);
  };

  const listen = () => {
    const stream = new EventSource("/events");
    for (const name of ["banner", "clock", "cases", "trips", "providers"]) {
      stream.addEventListener(name, (event) => applySection(name, event.data));
    }
    stream.onopen = () => connection("Live", true);
    stream.onerror = () => connection("Reconnecting to live updates", false);
  };

  const decide = async (form, submitter) => {
    const body = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    const error = form.querySelector(".error");
    const buttons = form.querySelectorAll("button");
    buttons.forEach((button) => { button.disabled = true; });
    try {
      const response = await fetch(form.getAttribute("action"), {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Accept": "application/json",
          "X-CSRF-Token": document.body.dataset.csrf || "",
        },
        body,
      });
      const answer = await response.json();
      if (!response.ok) {
        if (error) error.textContent = answer.error || "The decision failed.";
        return;
      }
      applySection("cases", answer.cases);
      announce(answer.message);
      const moved = document.getElementById("case-" + answer.case);
      if (moved) {
        moved.tabIndex = -1;
        moved.focus();
      }
    } catch (failure) {
      if (error) error.textContent = "The console did not answer: " + failure;
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("decision")) return;
    event.preventDefault();
    decide(form, event.submitter);
  });

  listen();
})();

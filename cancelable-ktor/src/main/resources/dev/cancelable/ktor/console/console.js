// The operations console. Every value shown comes from the server and may hold anything a user typed
// into an operation's name or metadata: the DOM is built with createElement and textContent only,
// never innerHTML, so no value can become markup.
(function () {
  "use strict";
  var base = document.body.getAttribute("data-base");
  var live = new Map();          // id -> operation
  var clockOffset = 0;           // server time - local time
  var csrf = null;
  var canCancel = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function request(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (method !== "GET") headers["X-Cancelable-Csrf"] = csrf || "";
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(base + path, {
      method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) return {};
      return response.json().then(function (json) {
        if (!response.ok) throw new Error(json.error || ("HTTP " + response.status));
        return json;
      });
    });
  }

  function age(op) {
    if (op.startedAt === null || op.startedAt === undefined) return "";
    var end = op.endedAt !== null && op.endedAt !== undefined ? op.endedAt : Date.now() + clockOffset;
    return seconds(end - op.startedAt);
  }

  function seconds(ms) {
    if (ms === null || ms === undefined) return "";
    return ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
  }

  function details(op) {
    var cell = el("td");
    if (op.reason) cell.appendChild(el("div", "reason", op.reason + (op.message ? ": " + op.message : "")));
    if (op.partial) cell.appendChild(el("div", "meta", "sent " + op.partial.count + (op.partial.completed ? " (complete)" : " so far")));
    var keys = Object.keys(op.metadata || {});
    if (keys.length) {
      cell.appendChild(el("div", "meta", keys.map(function (k) { return k + "=" + op.metadata[k]; }).join("  ")));
    }
    return cell;
  }

  function statusCell(op) {
    return el("td", "status status-" + String(op.status).toLowerCase(), op.status);
  }

  // Live operations as a tree: children under their parent (by parentId), roots first by start time.
  function renderLive() {
    var body = document.querySelector("#live tbody");
    var rows = document.createDocumentFragment();
    var ops = Array.from(live.values());
    var children = new Map();
    ops.forEach(function (op) {
      var parent = op.parentId && live.has(op.parentId) ? op.parentId : "";
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(op);
    });
    function walk(parent, depth) {
      (children.get(parent) || []).sort(function (a, b) { return (a.startedAt || 0) - (b.startedAt || 0); }).forEach(function (op) {
        var row = el("tr");
        row.setAttribute("data-id", op.id);
        row.setAttribute("data-status", String(op.status).toLowerCase());
        var name = el("td", "name");
        if (depth > 0) name.appendChild(el("span", "indent", "  ".repeat(depth - 1) + "└─ "));
        name.appendChild(el("span", "op-name", op.name));
        row.appendChild(name);
        row.appendChild(statusCell(op));
        row.appendChild(el("td", "age", age(op)));
        row.appendChild(el("td", "progress", op.progress || ""));
        row.appendChild(details(op));
        var actions = el("td");
        var button = el("button", "danger cancel", "Cancel");
        button.type = "button";
        button.disabled = !canCancel || String(op.status).toLowerCase() !== "running";
        button.addEventListener("click", function () {
          button.disabled = true;
          request("DELETE", "/operations/" + encodeURIComponent(op.id)).catch(function (e) { button.disabled = false; alertLine(e.message); });
        });
        actions.appendChild(button);
        row.appendChild(actions);
        rows.appendChild(row);
        walk(op.id, depth + 1);
      });
    }
    walk("", 0);
    body.replaceChildren(rows);
    document.getElementById("live-count").textContent = "(" + ops.length + ")";
    document.getElementById("live-empty").hidden = ops.length > 0;
  }

  function alertLine(text) {
    document.getElementById("bulk-result").textContent = text;
  }

  function renderHistory(ops) {
    var body = document.querySelector("#history tbody");
    var rows = document.createDocumentFragment();
    ops.forEach(function (op) {
      var row = el("tr");
      row.setAttribute("data-id", op.id);
      row.setAttribute("data-status", String(op.status).toLowerCase());
      row.appendChild(el("td", "name", op.name));
      row.appendChild(statusCell(op));
      row.appendChild(el("td", null, seconds(op.durationMs)));
      row.appendChild(details(op));
      row.appendChild(el("td", "muted", op.endedAt ? new Date(op.endedAt).toLocaleTimeString() : ""));
      rows.appendChild(row);
    });
    body.replaceChildren(rows);
  }

  function loadLive() {
    return request("GET", "/operations").then(function (json) {
      clockOffset = json.now - Date.now();
      live.clear();
      json.operations.forEach(function (op) { live.set(op.id, op); });
      renderLive();
    });
  }

  function loadHistory() {
    var query = "?limit=50";
    var status = document.getElementById("history-status").value;
    var name = document.getElementById("history-name").value.trim();
    if (status) query += "&status=" + encodeURIComponent(status);
    if (name) query += "&name=" + encodeURIComponent(name);
    return request("GET", "/history" + query).then(function (json) { renderHistory(json.operations); });
  }

  var historyTimer = null;
  function historySoon() {
    if (historyTimer) return;
    historyTimer = setTimeout(function () { historyTimer = null; loadHistory(); }, 250);
  }

  function connect() {
    var badge = document.getElementById("connection");
    var source = new EventSource(base + "/events", { withCredentials: true });
    source.addEventListener("hello", function () {
      badge.textContent = "live";
      badge.className = "badge live";
      loadLive();
      loadHistory();
    });
    source.addEventListener("resync", function () { loadLive(); loadHistory(); });
    function update(event) {
      var data = JSON.parse(event.data);
      clockOffset = data.now - Date.now();
      var op = data.operation;
      if (data.type === "finished") {
        live.delete(op.id);
        historySoon();
      } else {
        live.set(op.id, op);
      }
      renderLive();
    }
    source.addEventListener("started", update);
    source.addEventListener("progress", update);
    source.addEventListener("finished", update);
    source.onerror = function () { badge.textContent = "reconnecting…"; badge.className = "badge"; };
  }

  document.getElementById("bulk").addEventListener("submit", function (event) {
    event.preventDefault();
    var pattern = document.getElementById("bulk-pattern").value.trim();
    if (!pattern) return;
    request("POST", "/operations/cancel", { pattern: pattern })
      .then(function (json) { alertLine("canceled " + json.canceled); })
      .catch(function (e) { alertLine(e.message); });
  });
  document.getElementById("history-filter").addEventListener("submit", function (event) {
    event.preventDefault();
    loadHistory();
  });
  setInterval(function () {
    document.querySelectorAll("#live tbody tr").forEach(function (row) {
      var op = live.get(row.getAttribute("data-id"));
      if (op) row.querySelector(".age").textContent = age(op);
    });
  }, 500);

  request("GET", "/session").then(function (session) {
    csrf = session.csrf;
    canCancel = session.permissions.indexOf("CANCEL") >= 0;
    document.getElementById("who").textContent = canCancel ? "may read and cancel" : "read only";
    document.getElementById("bulk").hidden = !canCancel;
    connect();
  }).catch(function (e) { document.getElementById("connection").textContent = e.message; });
})();

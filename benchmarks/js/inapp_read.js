// What window.__ap recorded: the keydown time, the run's end, the rerun request and each chart's redraws.
() => ({t0: window.__ap.t0, idle: window.__ap.idle, sent: window.__ap.sent, rec: window.__ap.rec})

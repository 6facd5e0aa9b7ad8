// True once the sidebar names the dataset ([name, rows]) and its row count.
([name, rows]) => { const s = document.querySelector('[data-testid="stSidebarUserContent"]');
  if (!s) return false; const t = s.textContent;
  return t.includes(name) && new RegExp(`(^|[^0-9,])(${rows}|${rows.toLocaleString('en-US')}) rows`).test(t); }

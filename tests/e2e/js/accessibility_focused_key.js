// The st-key around the focused element, else its tag name (null when nothing has focus).
() => { const e = document.activeElement, k = e && e.closest('[class*="st-key-"]');
  return k ? k.className.match(/st-key-(\S+)/)[1] : (e ? e.tagName : null); }

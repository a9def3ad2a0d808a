// Progressive enhancement only: every page works without it.
// 1. Copy buttons: <button data-copy="#id"> copies the text of the element #id.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  const source = document.querySelector(button.getAttribute('data-copy'));
  if (!source) return;
  const text = source.textContent.trim();
  const done = () => {
    const label = button.textContent;
    button.textContent = 'Copied';
    const live = document.getElementById('live');
    if (live) live.textContent = 'Copied to the clipboard';
    setTimeout(() => (button.textContent = label), 1500);
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => {});
  else {
    const range = document.createRange();
    range.selectNodeContents(source);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try {
      document.execCommand('copy');
      done();
    } catch {
      /* the text stays selected for a manual copy */
    }
  }
});

// 2. Setup progress: <section data-poll="/url.json"> polls until the first sync ends.
const poll = document.querySelector('[data-poll]');
if (poll) {
  const url = poll.getAttribute('data-poll');
  const bar = poll.querySelector('progress');
  const text = poll.querySelector('[data-status-text]');
  const next = poll.querySelector('[data-continue]');
  const tick = async () => {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (res.ok) {
        const s = await res.json();
        if (text) text.textContent = s.message;
        if (bar && typeof s.percent === 'number') bar.value = s.percent;
        if (s.done) {
          if (bar) bar.value = 100;
          if (next) next.hidden = false;
          return;
        }
      }
    } catch {
      /* try again */
    }
    setTimeout(tick, 1000);
  };
  tick();
}

// 3. Charts: <canvas data-chart="id-of-json-script"> drawn with Chart.js when it is loaded. A chart
// box's height comes as data-height (pixels): style attributes are refused by the page's CSP.
for (const box of document.querySelectorAll('[data-height]')) box.style.height = `${box.dataset.height}px`;
if (window.Chart) {
  window.Chart.defaults.animation = false;
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    const data = document.getElementById(canvas.getAttribute('data-chart'));
    if (data) new window.Chart(canvas, JSON.parse(data.textContent));
  }
}

// Progressive enhancement of the authoring pages: drag and drop of lessons (the ↑ ↓ buttons do
// the same without JavaScript) and a live preview of a lesson's Markdown while typing.
(() => {
  const outline = document.querySelector('.outline[data-reorder]');
  if (outline) {
    const status = document.querySelector('p.status');
    let dragged = null;
    outline.addEventListener('dragstart', (event) => {
      dragged = event.target.closest('[data-lesson]');
      if (dragged) event.dataTransfer.effectAllowed = 'move';
    });
    outline.addEventListener('dragover', (event) => {
      if (!dragged) return;
      const list = event.target.closest('.outline-module')?.querySelector('.outline-lessons');
      if (!list) return;
      event.preventDefault();
      const over = event.target.closest('[data-lesson]');
      if (over && over !== dragged) {
        const after = event.clientY > over.getBoundingClientRect().top + over.offsetHeight / 2;
        over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
      } else if (!over) list.append(dragged);
    });
    outline.addEventListener('drop', async (event) => {
      if (!dragged) return;
      event.preventDefault();
      dragged = null;
      const order = [...outline.querySelectorAll('[data-lesson]')].map((item) => ({
        lessonId: item.dataset.lesson,
        moduleId: item.closest('[data-module]').dataset.module,
      }));
      const response = await fetch(outline.dataset.reorder, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order }),
        credentials: 'same-origin',
      });
      if (status)
        status.textContent = response.ok ? 'Đã lưu thứ tự mới.' : 'Chưa lưu được thứ tự; hãy tải lại trang.';
    });
  }

  const source = document.querySelector('textarea[data-preview]');
  const preview = source && document.getElementById(source.dataset.preview);
  if (source && preview) {
    let pending = null;
    source.addEventListener('input', () => {
      clearTimeout(pending);
      pending = setTimeout(async () => {
        const response = await fetch('/api/authoring/preview', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ markdown: source.value }),
          credentials: 'same-origin',
        });
        if (response.ok) preview.innerHTML = (await response.json()).html;
      }, 300);
    });
  }
})();

// Progressive enhancement of the quiz page: every change is saved at once (the page also saves
// on "next page" and "submit" without JavaScript), and a timed attempt shows the minutes left.
(() => {
  const form = document.querySelector('form.quiz');
  if (!form) return;
  const status = form.querySelector('.status');
  let pending = null;
  const save = async () => {
    const data = new URLSearchParams(new FormData(form));
    data.set('_action', 'luu');
    try {
      const response = await fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin' });
      if (status) {
        status.textContent = response.ok
          ? `Đã lưu lúc ${new Date().toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' })}.`
          : 'Chưa lưu được. Câu trả lời sẽ được lưu khi bạn chuyển trang hoặc nộp bài.';
      }
    } catch {
      if (status) status.textContent = 'Mất kết nối: câu trả lời sẽ được lưu khi có mạng trở lại.';
    }
  };
  form.addEventListener('change', () => {
    clearTimeout(pending);
    pending = setTimeout(save, 400);
  });

  const timer = document.querySelector('[data-deadline]');
  if (!timer) return;
  const deadline = Date.parse(timer.dataset.deadline);
  const left = document.createElement('span');
  timer.append(' ', left);
  const tick = () => {
    const minutes = Math.ceil((deadline - Date.now()) / 60000);
    left.textContent = minutes > 0 ? `Còn khoảng ${minutes} phút.` : 'Đã hết giờ: hãy nộp bài ngay.';
  };
  tick();
  setInterval(tick, 15000);
})();

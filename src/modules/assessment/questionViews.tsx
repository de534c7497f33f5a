import type { Answers, AttemptQuestion, GradedQuestion } from './service.js';

/** The heading of a question: number, situation, prompt, picture and a hint on how to answer. */
function QuestionText({ question, number }: { question: AttemptQuestion; number: number }) {
  const hint: Record<AttemptQuestion['kind'], string> = {
    single: '(chọn một phương án)',
    multiple: '(chọn tất cả phương án đúng)',
    trueFalse: '(chọn Đúng hoặc Sai)',
    matching: '(ghép mỗi mục bên trái với một mục bên phải)',
    ordering: '(chọn vị trí 1, 2, 3… cho từng mục theo thứ tự đúng)',
    numeric: '(nhập một số)',
  };
  return (
    <legend>
      <span class="qnum">Câu {number}.</span>{' '}
      {question.situation && <span class="situation">{question.situation} </span>}
      <strong>{question.prompt}</strong> <span class="meta">{hint[question.kind]}</span>
      {question.image && (
        <img class="question-image" src={`/tep/${question.image.file}`} alt={question.image.alt} />
      )}
    </legend>
  );
}

/** One question as form fields, filled with what was saved; field names are read by answersFromForm. */
export function QuestionFields({
  question,
  number,
  saved,
}: {
  question: AttemptQuestion;
  number: number;
  saved: string[];
}) {
  const name = `q.${question.id}`;
  const shown = question.shown;
  return (
    <fieldset class="question">
      <QuestionText question={question} number={number} />
      <input type="hidden" name="p" value={question.id} />
      {'options' in shown &&
        shown.options.map((option) => (
          <label key={option.id} class="choice">
            <input
              type={shown.kind === 'multiple' ? 'checkbox' : 'radio'}
              name={name}
              value={option.id}
              checked={saved.includes(option.id)}
            />{' '}
            {option.text}
          </label>
        ))}
      {shown.kind === 'matching' &&
        shown.lefts.map((left) => {
          const chosen = saved.find((entry) => entry.startsWith(`${left.id}:`))?.split(':')[1];
          return (
            <label key={left.id} class="pair">
              <span>{left.text}</span>
              <select name={`${name}.${left.id}`}>
                <option value="">— chọn —</option>
                {shown.rights.map((right) => (
                  <option key={right.id} value={right.id} selected={chosen === right.id}>
                    {right.text}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      {shown.kind === 'ordering' &&
        shown.items.map((item) => {
          const position = saved.indexOf(item.id);
          return (
            <label key={item.id} class="pair">
              <span>{item.text}</span>
              <select name={`${name}.${item.id}`}>
                <option value="">— vị trí —</option>
                {shown.items.map((_, index) => (
                  <option key={String(index)} value={String(index + 1)} selected={position === index}>
                    {index + 1}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      {shown.kind === 'numeric' && (
        <label class="numeric">
          Đáp số:{' '}
          <input
            type="text"
            inputmode="decimal"
            name={name}
            value={saved[0] ?? ''}
            autocomplete="off"
            size={12}
          />
        </label>
      )}
    </fieldset>
  );
}

const values = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

/**
 * Turns a posted page of questions into answers. Every question shown on the page (`p`
 * fields) gets an answer, empty when nothing was chosen, so un-ticking a box is saved too.
 * Fields of questions not in the attempt are kept as sent, for the service to refuse.
 */
export function answersFromForm(body: unknown, questions: AttemptQuestion[]): Answers {
  const answers: Answers = {};
  if (typeof body !== 'object' || body === null) return answers;
  const fields = body as Record<string, unknown>;
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const id of values(fields.p)) {
    const question = byId.get(id);
    const field = `q.${id}`;
    if (!question) {
      answers[id] = values(fields[field]);
      continue;
    }
    const shown = question.shown;
    if (shown.kind === 'matching') {
      answers[id] = shown.lefts.flatMap((left) => {
        const right = values(fields[`${field}.${left.id}`])[0] ?? '';
        return right === '' ? [] : [`${left.id}:${right}`];
      });
    } else if (shown.kind === 'ordering') {
      const placed = shown.items.map((item, index) => ({
        id: item.id,
        index,
        position: Number.parseInt(values(fields[`${field}.${item.id}`])[0] ?? '', 10),
      }));
      // Items without a position go last, in the order they were shown.
      answers[id] = placed.every((p) => Number.isNaN(p.position))
        ? []
        : placed
            .sort((a, b) => (a.position || 999) - (b.position || 999) || a.index - b.index)
            .map((p) => p.id);
    } else {
      answers[id] = values(fields[field]).filter((v) => v.trim() !== '');
    }
  }
  for (const [field, value] of Object.entries(fields)) {
    const id = field.slice(2);
    if (field.startsWith('q.') && !field.includes('.', 2) && !(id in answers)) answers[id] = values(value);
  }
  return answers;
}

/** One graded question; the key and explanation only when the quiz's feedback rule allows. */
export function GradedQuestionView({ question, number }: { question: GradedQuestion; number: number }) {
  const feedback = question.feedback;
  const verdict = question.correct ? 'right' : question.credit > 0 ? 'partial' : 'wrong';
  return (
    <li class={feedback ? `question ${verdict}` : 'question'}>
      <p>
        <span class="qnum">Câu {number}.</span>{' '}
        {question.situation && <span class="situation">{question.situation} </span>}
        <strong>{question.prompt}</strong>
      </p>
      <p>
        <span class="meta">Bạn trả lời:</span>{' '}
        {question.givenInWords.length > 0 ? question.givenInWords.join('; ') : 'bỏ trống'}
      </p>
      {feedback && (
        <>
          <p class="verdict">
            {verdict === 'right'
              ? '✓ Đúng'
              : verdict === 'partial'
                ? `◐ Đúng một phần (${Math.round(question.credit * 100)}%)`
                : '✗ Chưa đúng'}
          </p>
          <p>
            <span class="meta">Đáp án đúng:</span> {feedback.key.join('; ')}
          </p>
          {feedback.explanation && (
            <p class="explanation">
              <strong>Giải thích:</strong> {feedback.explanation}
            </p>
          )}
        </>
      )}
    </li>
  );
}

// Evidence: a file control that checks the type and size before sending (the formats from the
// machine description, the caps from the dispute's frozen policy, R-EVID-1/2), uploads with
// progress (XMLHttpRequest reports upload progress; fetch does not), and a gallery with
// thumbnails of the images on the case.
import { csrf, problemBox } from './api.js';
import { card, h, say } from './dom.js';
import { bytes, party, timeElement } from './format.js';

/** The kind (image, video) and rule a file's name or declared type belongs to, or null. */
function kindOf(file, formats) {
  const extension = file.name.includes('.') ? file.name.split('.').pop().toLowerCase() : '';
  for (const [kind, { rule, formats: list }] of Object.entries(formats)) {
    if (list.some((f) => f.extensions.includes(extension) || f.mediaType === file.type)) return { kind, rule };
  }
  return null;
}

const acceptList = (formats) =>
  Object.values(formats)
    .flatMap(({ formats: list }) => list.flatMap((f) => [f.mediaType, ...f.extensions.map((e) => `.${e}`)]))
    .join(',');

const formatWords = (formats) =>
  Object.entries(formats)
    .map(([kind, { formats: list }]) => `${kind}s (${list.map((f) => f.extensions.join('/')).join(', ')})`)
    .join(' and ');

/** Why this file cannot be sent, in words, or null when it may. */
export function fileProblem(file, formats, caps) {
  const kind = kindOf(file, formats);
  if (!kind) return `${file.name} is not an accepted type: send ${formatWords(formats)}.`;
  const cap = kind.kind === 'image' ? caps.imageMaxBytes : caps.videoMaxBytes;
  if (file.size > cap) return `${file.name} is ${bytes(file.size)}; ${kind.kind}s may be at most ${bytes(cap)} (${kind.rule}).`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

export function uploadForm(dispute, cat, { onSent }) {
  const formats = cat.machine.evidence;
  const caps = dispute.context.policy.evidence;
  const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const progressText = h('span', { class: 'help', 'aria-live': 'polite' });
  const input = h('input', {
    id: 'evidence-file',
    name: 'file',
    type: 'file',
    accept: acceptList(formats),
    required: true,
    'aria-describedby': 'evidence-file-help',
  });
  const form = h(
    'form',
    { class: 'event', 'data-event': 'evidence.add', 'aria-labelledby': 'form-evidence-title' },
    h('h3', { id: 'form-evidence-title', text: cat.event('evidence.add').label }),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'evidence-file', text: 'Photo or video' }),
      input,
      h('span', {
        class: 'help',
        id: 'evidence-file-help',
        text: `Accepted: ${formatWords(formats)}; images up to ${bytes(caps.imageMaxBytes)}, videos up to ${bytes(caps.videoMaxBytes)}. Everyone on the case sees it.`,
      }),
    ),
    preview,
    h('p', {}, progress, ' ', progressText),
    h('p', { class: 'buttons' }, h('button', { type: 'submit', 'data-focus': 'send:evidence.add', text: 'Upload' })),
  );
  const showProblem = (error) => {
    form.querySelector('.problem')?.remove();
    if (error)
      form.querySelector('.buttons').before(error instanceof Node ? error : problemBox({ problem: { title: 'This file cannot be sent', detail: error } }));
  };
  input.addEventListener('change', () => {
    preview.replaceChildren();
    const file = input.files[0];
    if (!file) return;
    const problem = fileProblem(file, formats, caps);
    showProblem(problem);
    if (!problem && file.type.startsWith('image/')) {
      const url = URL.createObjectURL(file);
      preview.append(h('img', { src: url, alt: `Preview of ${file.name}`, class: 'thumb', onload: () => URL.revokeObjectURL(url) }));
    }
    if (!problem) preview.append(h('p', { class: 'help', text: `${file.name}, ${bytes(file.size)}: ready to upload.` }));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = input.files[0];
    const problem = file ? fileProblem(file, formats, caps) : 'Choose a file first.';
    showProblem(problem);
    if (problem) return;
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    progress.hidden = false;
    const request = new XMLHttpRequest();
    request.open('POST', `/disputes/${dispute.id}/evidence`);
    request.setRequestHeader('X-CSRF-Token', csrf());
    request.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      progress.value = Math.round((e.loaded / e.total) * 100);
      progressText.textContent = `Uploading: ${progress.value} %`;
    });
    request.addEventListener('load', () => {
      submit.disabled = false;
      if (request.status >= 200 && request.status < 300) {
        progress.value = 100;
        progressText.textContent = 'Uploaded.';
        say(`Evidence added: ${file.name}.`);
        document.querySelector('button[data-event="evidence.add"]')?.focus();
        form.remove();
        onSent('evidence.add');
        return;
      }
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // not JSON: the status says enough
      }
      progressText.textContent = '';
      showProblem(problemBox({ problem: body, message: `upload failed (${request.status})` }));
      submit.focus();
    });
    request.addEventListener('error', () => {
      submit.disabled = false;
      progressText.textContent = '';
      showProblem('The upload did not reach the service; check the connection and try again.');
    });
    const body = new FormData();
    body.append('file', file);
    request.send(body);
  });
  return form;
}

/** The evidence on the case: images as thumbnails, videos as links, each with who added it. */
/** The file names of the evidence last drawn, by id: the history names a file as the case does. */
export const evidenceNames = new Map();

export function evidenceCard(dispute, evidence) {
  for (const e of evidence) if (e.displayName) evidenceNames.set(e.id, e.displayName);
  const shown = evidence.filter((e) => !e.hidden);
  return card(
    'evidence',
    'Evidence',
    shown.length === 0
      ? h('p', { text: 'No evidence on the case yet.' })
      : h(
          'ul',
          { class: 'gallery' },
          shown.map((e) => {
            const url = `/disputes/${dispute.id}/evidence/${e.id}`;
            const name = e.displayName ?? e.id;
            return h(
              'li',
              {},
              e.kind === 'image'
                ? h(
                    'a',
                    { href: url, target: '_blank', rel: 'noopener' },
                    h('img', { class: 'thumb', src: url, alt: `${name}, added by the ${e.uploaderRole}`, loading: 'lazy' }),
                  )
                : h('a', { href: url, text: `Video: ${name}` }),
              h('span', { class: 'help' }, `${name} · ${bytes(e.size)} · from ${party(e.uploaderRole, e.uploaderId)} · `, timeElement(e.uploadedAt)),
            );
          }),
        ),
  );
}

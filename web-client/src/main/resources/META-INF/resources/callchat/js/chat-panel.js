// The chat sidebar. Every piece of user text goes through textContent: chat is never parsed as HTML.

const NEAR_BOTTOM_PX = 48;
// Tell the others at most this often while typing; show someone as typing this long after their last signal.
const TYPING_SEND_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 4000;

/** @typedef {{id: (string|number), author: string, text: string, at: (string|Date|null)}} ChatMessage */

export class ChatPanel {
  constructor(doc) {
    this.panel = doc.getElementById('chat');
    this.toggle = doc.getElementById('chat-toggle');
    this.badge = doc.getElementById('unread');
    this.list = doc.getElementById('messages');
    this.older = doc.getElementById('older');
    this.form = doc.getElementById('chat-form');
    this.input = doc.getElementById('chat-input');
    this.send = doc.getElementById('chat-send');
    this.state = doc.getElementById('chat-state');
    this.reason = doc.getElementById('chat-reason');
    this.announcer = doc.getElementById('announcer');
    this.close = doc.getElementById('chat-close');
    this.typingLine = doc.getElementById('typing');
    this.attach = doc.getElementById('chat-attach');
    this.fileInput = doc.getElementById('chat-file');
    this.typists = new Map(); // identity -> timer
    this.objectUrls = [];
    this.timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
    this.handlers = { send: null, older: null };
    this.reset();

    this.input.addEventListener('input', () => this.#typing());
    if (this.attach && this.fileInput) {
      this.attach.addEventListener('click', () => this.fileInput.click());
      this.fileInput.addEventListener('change', () => this.#sendFiles());
    }
    doc.addEventListener('visibilitychange', () => this.#markRead());

    this.toggle.addEventListener('click', () => this.setOpen(this.panel.hidden));
    this.close.addEventListener('click', () => { this.setOpen(false); this.toggle.focus(); });
    this.older.addEventListener('click', () => this.#loadOlder());
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.#submit(); });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.#submit();
      }
    });
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { this.setOpen(false); this.toggle.focus(); }
    });
  }

  /** Prepares the panel for a session; the handlers talk to the provider. */
  start(identity, { onSend, onOlder, onTyping = null, onRead = null, onFile = null, fetchFile = null }) {
    this.reset();
    this.identity = identity;
    this.handlers = { send: onSend, older: onOlder, typing: onTyping, read: onRead, file: onFile, fetchFile };
    if (this.attach) this.attach.hidden = !onFile;
  }

  reset() {
    this.identity = null;
    this.ids = new Set();
    this.unread = 0;
    this.oldestId = null;
    // -1: nothing yet (Twilio's message indexes start at 0, the local hub's ids at 1).
    this.lastSeq = -1;
    this.readSent = -1;
    this.lastTypingSent = 0;
    for (const timer of (this.typists || new Map()).values()) clearTimeout(timer);
    if (this.typists) this.typists.clear();
    if (this.typingLine) this.typingLine.textContent = '';
    for (const url of this.objectUrls || []) URL.revokeObjectURL(url);
    this.objectUrls = [];
    this.list.replaceChildren();
    this.older.hidden = true;
    this.input.value = '';
    this.setOpen(false);
    this.setAvailable(true);
    this.setState('');
    this.#renderBadge();
  }

  setOpen(open) {
    if (open && this.toggle.disabled) return;
    this.panel.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    this.toggle.classList.toggle('active', open);
    document.body.classList.toggle('chat-open', open);
    if (open) {
      this.unread = 0;
      this.#renderBadge();
      this.#scrollToBottom();
      this.input.focus();
      this.#markRead();
    }
  }

  /** Chat off: the call goes on and the button says why. */
  setAvailable(available, reason = '') {
    this.toggle.disabled = !available;
    this.input.disabled = !available;
    this.send.disabled = !available;
    if (this.attach) this.attach.disabled = !available;
    const label = this.toggle.querySelector('.label');
    if (available) {
      this.toggle.removeAttribute('title');
      this.toggle.setAttribute('aria-label', 'Chat');
      label.textContent = 'Chat';
      this.reason.hidden = true;
      this.reason.textContent = '';
      this.#renderBadge();
    } else {
      const text = `Chat unavailable: ${reason || 'it could not connect'}. The call continues.`;
      this.toggle.title = text;
      this.toggle.setAttribute('aria-label', text);
      label.textContent = 'Chat unavailable';
      this.reason.hidden = false;
      this.reason.textContent = reason || 'Chat could not connect';
      if (!this.panel.hidden) this.setOpen(false);
    }
  }

  /** A short state such as "connecting…" or "reconnecting…", shown in the panel header. */
  setState(text) {
    this.state.textContent = text;
    this.panel.classList.toggle('degraded', Boolean(text));
  }

  /** The messages a join starts with, oldest first. */
  showHistory(messages, more, read = null) {
    for (const m of messages) this.add(m, { quiet: true });
    this.#setMore(more, messages);
    this.#scrollToBottom();
    if (Number.isInteger(read)) {
      // The server remembers how far we read, so a reload shows the same unread count.
      this.readSent = Math.max(this.readSent, read);
      if (this.panel.hidden) {
        this.unread = [...this.list.children]
          .filter((li) => !li.classList.contains('own') && Number(li.dataset.seq) > read).length;
        this.#renderBadge();
      }
    }
    this.#markRead();
  }

  /** Shows "ana is typing…" for a few seconds after each signal. */
  showTyping(identity) {
    if (!identity || identity === this.identity) return;
    clearTimeout(this.typists.get(identity));
    this.typists.set(identity, setTimeout(() => this.clearTyping(identity), TYPING_SHOWN_MS));
    this.#renderTyping();
  }

  clearTyping(identity) {
    clearTimeout(this.typists.get(identity));
    if (this.typists.delete(identity)) this.#renderTyping();
  }

  #renderTyping() {
    if (!this.typingLine) return;
    const names = [...this.typists.keys()];
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = 'Several people are typing…';
    this.typingLine.textContent = text;
  }

  #typing() {
    if (!this.handlers.typing || !this.input.value.trim()) return;
    const now = Date.now();
    if (now - this.lastTypingSent < TYPING_SEND_EVERY_MS) return;
    this.lastTypingSent = now;
    try {
      this.handlers.typing();
    } catch { /* best effort */ }
  }

  /** Tells the provider how far we have read, when the newest message is in front of the reader. */
  #markRead() {
    if (!this.handlers.read || this.panel.hidden || document.visibilityState === 'hidden') return;
    if (this.lastSeq > this.readSent) {
      this.readSent = this.lastSeq;
      try {
        this.handlers.read(this.lastSeq);
      } catch { /* best effort */ }
    }
  }

  async #sendFiles() {
    const files = [...(this.fileInput.files || [])];
    this.fileInput.value = '';
    if (!this.handlers.file) return;
    for (const file of files) {
      this.setState(`sending ${file.name}…`);
      try {
        await this.handlers.file(file);
        this.setState('');
      } catch (e) {
        this.setState(`not sent: ${e.message || e}`);
        return;
      }
    }
  }

  /** An older page, oldest first, put above what is shown without moving what the reader sees. */
  prependOlder(messages, more) {
    const before = this.list.scrollHeight - this.list.scrollTop;
    const first = this.list.firstChild;
    for (const m of messages) {
      if (this.ids.has(String(m.id))) continue;
      this.ids.add(String(m.id));
      this.list.insertBefore(this.#render(m), first);
    }
    this.#setMore(more, messages);
    this.list.scrollTop = this.list.scrollHeight - before;
    this.older.disabled = false;
  }

  /** A new message; returns false for one already shown (replays after a reconnect). */
  add(message, { quiet = false } = {}) {
    const id = String(message.id);
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.oldestId === null) this.oldestId = message.id;
    if (Number.isInteger(message.seq)) this.lastSeq = Math.max(this.lastSeq, message.seq);
    this.clearTyping(message.author);
    const own = message.author === this.identity;
    const stick = own || this.#nearBottom();
    this.list.append(this.#render(message));
    if (stick) this.#scrollToBottom();
    if (!quiet && !own && this.panel.hidden) {
      this.unread += 1;
      this.#renderBadge();
      this.announcer.textContent = `New message from ${message.author}`;
    }
    if (!quiet) this.#markRead();
    return true;
  }

  #render(m) {
    const own = m.author === this.identity;
    const item = document.createElement('li');
    item.className = own ? 'message own' : 'message';
    item.dataset.id = String(m.id);
    if (Number.isInteger(m.seq)) item.dataset.seq = String(m.seq);
    const meta = document.createElement('div');
    meta.className = 'meta';
    const author = document.createElement('span');
    author.className = 'author';
    author.textContent = own ? `${m.author} (you)` : m.author;
    const time = document.createElement('time');
    const at = m.at ? new Date(m.at) : null;
    if (at && !Number.isNaN(at.getTime())) {
      time.dateTime = at.toISOString();
      time.textContent = this.timeFormat.format(at);
      time.title = at.toLocaleString();
    }
    meta.append(author, ' ', time);
    const text = document.createElement('p');
    text.className = 'text';
    text.textContent = m.text;
    item.append(meta, text);
    if (m.file) item.append(this.#renderFile(m.file));
    return item;
  }

  /** A thumbnail for images, a download button for the rest; the bytes come through the provider. */
  #renderFile(file) {
    const box = document.createElement('div');
    box.className = 'file';
    box.dataset.fileId = String(file.id);
    if (file.image) {
      const img = document.createElement('img');
      img.alt = `Image: ${file.name}`;
      img.hidden = true;
      box.append(img);
      this.#blob(file).then((url) => {
        img.src = url;
        img.hidden = false;
      }).catch(() => { img.remove(); });
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'file-link';
    button.textContent = `Download ${file.name} (${humanSize(file.size)})`;
    button.addEventListener('click', async () => {
      try {
        const url = await this.#blob(file);
        const a = document.createElement('a');
        a.href = url;
        a.download = file.name;
        a.hidden = true;
        document.body.append(a);
        a.click();
        a.remove();
      } catch (e) {
        this.setState(`download failed: ${e.message || e}`);
      }
    });
    box.append(button);
    return box;
  }

  #blob(file) {
    if (!file.url) {
      if (!this.handlers.fetchFile) return Promise.reject(new Error('files are not available'));
      file.url = this.handlers.fetchFile(file).then((blob) => {
        const url = URL.createObjectURL(blob);
        this.objectUrls.push(url);
        return url;
      });
      file.url.catch(() => { file.url = null; });
    }
    return file.url;
  }

  #setMore(more, page) {
    if (page.length) this.oldestId = page[0].id;
    this.older.hidden = !more;
  }

  async #loadOlder() {
    if (!this.handlers.older) return;
    this.older.disabled = true;
    try {
      await this.handlers.older(this.oldestId);
    } finally {
      this.older.disabled = false;
    }
  }

  async #submit() {
    const text = this.input.value;
    if (!text.trim() || !this.handlers.send || this.input.disabled) return;
    try {
      await this.handlers.send(text);
      this.input.value = '';
    } catch (e) {
      this.setState(`not sent: ${e.message || e}`);
    }
  }

  #nearBottom() {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < NEAR_BOTTOM_PX;
  }

  #scrollToBottom() {
    this.list.scrollTop = this.list.scrollHeight;
  }

  #renderBadge() {
    const show = this.unread > 0 && !this.toggle.disabled;
    this.badge.hidden = !show;
    this.badge.textContent = show ? String(this.unread) : '';
    if (!this.toggle.disabled) {
      this.toggle.setAttribute('aria-label', show ? `Chat, ${this.unread} unread` : 'Chat');
    }
  }
}

function humanSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

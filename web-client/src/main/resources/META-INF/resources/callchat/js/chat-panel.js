// The chat sidebar. Every piece of user text goes through textContent: chat is never parsed as HTML.

const NEAR_BOTTOM_PX = 48;

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
    this.timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
    this.handlers = { send: null, older: null };
    this.reset();

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
  start(identity, { onSend, onOlder }) {
    this.reset();
    this.identity = identity;
    this.handlers = { send: onSend, older: onOlder };
  }

  reset() {
    this.identity = null;
    this.ids = new Set();
    this.unread = 0;
    this.oldestId = null;
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
    }
  }

  /** Chat off: the call goes on and the button says why. */
  setAvailable(available, reason = '') {
    this.toggle.disabled = !available;
    this.input.disabled = !available;
    this.send.disabled = !available;
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
  showHistory(messages, more) {
    for (const m of messages) this.add(m, { quiet: true });
    this.#setMore(more, messages);
    this.#scrollToBottom();
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
    const own = message.author === this.identity;
    const stick = own || this.#nearBottom();
    this.list.append(this.#render(message));
    if (stick) this.#scrollToBottom();
    if (!quiet && !own && this.panel.hidden) {
      this.unread += 1;
      this.#renderBadge();
      this.announcer.textContent = `New message from ${message.author}`;
    }
    return true;
  }

  #render(m) {
    const own = m.author === this.identity;
    const item = document.createElement('li');
    item.className = own ? 'message own' : 'message';
    item.dataset.id = String(m.id);
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
    return item;
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

// The wire protocol (docs/PROTOCOL.md) over JSON text frames: hello, requests with ids,
// events, and reconnecting after the phone sleeps or the network drops. The room controller
// resumes its room by sequence number (room.watch {after}) each time `onopen` fires.

export class WireError extends Error {
  constructor(code, message, data = {}) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

// Codes after which reconnecting cannot help: the credential itself is refused.
const FATAL = new Set(["unauthorized", "key_revoked", "unsupported_version"]);

export class Wire {
  constructor(url, token, {onopen, onevent, onstate, onfatal}) {
    this.url = url;
    this.token = token;
    this.handlers = {onopen, onevent, onstate, onfatal};
    this.nextId = 0;
    this.pending = new Map();
    this.ws = null;
    this.up = false;
    this.stopped = false;
    this.retry = 0;
    this.offset = 0; // server time minus local time, seconds
    const wake = () => { if (!this.up && !this.stopped) this.connect(); };
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && wake());
    window.addEventListener("online", wake);
  }

  /** The server's clock, in epoch seconds (deadlines are in server time). */
  now() {
    return Date.now() / 1000 + this.offset;
  }

  connect() {
    if (this.ws && this.ws.readyState <= 1) return;
    clearTimeout(this.timer);
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = async () => {
      try {
        await this.request("hello", {protocol: [1], token: this.token, client: "campfire-play-page"});
        const sent = Date.now() / 1000;
        const pong = await this.request("ping", {});
        this.offset = pong.now - (sent + Date.now() / 1000) / 2;
        this.up = true;
        this.retry = 0;
        this.handlers.onstate?.(true);
        await this.handlers.onopen?.();
      } catch (err) {
        if (err instanceof WireError && FATAL.has(err.code)) this.fatal(err);
      }
    };
    ws.onmessage = (msg) => this.receive(msg.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.up = false;
      for (const {reject} of this.pending.values()) reject(new WireError("disconnected", "connection lost"));
      this.pending.clear();
      if (this.stopped) return;
      this.handlers.onstate?.(false);
      const delay = Math.min(15000, 500 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  fatal(err) {
    this.stopped = true;
    this.ws?.close();
    this.handlers.onfatal?.(err);
  }

  receive(raw) {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (frame.type === "event") {
      this.handlers.onevent?.(frame.data);
      return;
    }
    const waiting = this.pending.get(frame.id);
    if (frame.type === "error" && FATAL.has(frame.data?.code)) {
      waiting?.reject(new WireError(frame.data.code, frame.data.message, frame.data));
      this.pending.delete(frame.id);
      return this.fatal(new WireError(frame.data.code, frame.data.message, frame.data));
    }
    if (!waiting) return;
    this.pending.delete(frame.id);
    if (frame.type === "error") waiting.reject(new WireError(frame.data.code, frame.data.message, frame.data));
    else waiting.resolve(frame.data || {});
  }

  /** Send a frame and wait for its reply's data (rejects with a WireError). */
  request(type, data = {}) {
    return new Promise((resolve, reject) => {
      if (!this.ws || this.ws.readyState !== 1) {
        reject(new WireError("disconnected", "not connected"));
        return;
      }
      const id = ++this.nextId;
      this.pending.set(id, {resolve, reject});
      this.ws.send(JSON.stringify({type, id, data}));
    });
  }
}

// pglite-socket 0.2.x multiplexes many clients onto PGlite's single session, but only pins a
// client during explicit transactions. Extended-protocol batches (Parse/Bind/Describe/Execute/
// Close/Flush ... Sync) from two clients then interleave and fail with `portal "" does not
// exist`, and an exception leaves the queue stuck. This keeps a client pinned from its first
// extended-protocol message until its Sync (or a simple Query), and always releases the queue.
const EXTENDED_PROTOCOL = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]); // P B D E C H
const SYNC = 0x53; // S
const QUERY = 0x51; // Q

export function patchPGLiteSocketServer(server) {
  const queue = server.queryQueue;
  if (!queue || typeof queue.processQueue !== "function") {
    throw new Error("pglite-socket internals changed: review scripts/lib/pglite-mux-fix.mjs");
  }
  let pinned = null;
  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    if (pinned === handlerId) pinned = null;
    return clearQueueForHandler(handlerId);
  };
  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.db.isInTransaction() && this.lastHandlerId ? this.lastHandlerId : pinned;
        let item;
        if (owner != null) {
          const index = this.queue.findIndex((entry) => entry.handlerId === owner);
          if (index === -1) break; // the owner's next message will restart the loop
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift();
        }
        const type = item.message[0];
        let length = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                length += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        if (EXTENDED_PROTOCOL.has(type)) pinned = item.handlerId;
        else if (type === SYNC || type === QUERY) pinned = null;
        item.resolve(length);
      }
    } finally {
      this.processing = false;
    }
  };
  return server;
}

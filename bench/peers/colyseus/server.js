// Colyseus as a peer for the fan-out benchmark: one room type, no state (so no patches);
// "announce" is broadcast to the room as "event" (Colyseus encodes a broadcast once and writes
// the same bytes to every client), "act" is answered to the sender.
const { Server, Room } = require("@colyseus/core");
const { WebSocketTransport } = require("@colyseus/ws-transport");

let seq = 0;

class BenchRoom extends Room {
  onCreate() {
    this.maxClients = 100000;
    this.autoDispose = false;
    this.onMessage("announce", (client, data) => {
      seq += 1;
      this.broadcast("event", { room: "r", seq, kind: "announce", data }, { except: client });
    });
    this.onMessage("act", (client, data) => {
      client.send("ok", { id: data && data.id, data: {} });
    });
  }
}

const port = Number(process.argv[2] || process.env.PORT);
const server = new Server({ transport: new WebSocketTransport(), greet: false });
server.define("bench", BenchRoom);
server.listen(port, "127.0.0.1").then(() => console.log(`colyseus listening on ${port}`));

// Reads one SSE stream with the `eventsource` package (Debian's node-eventsource) and prints
// what it dispatches as JSON lines {"type", "data", "lastEventId"}, listening for `message` and
// for each event type named on the command line; {"end": ...} when the server closes the
// stream (the first error after the connection opened; the client is closed then so it does
// not reconnect). Usage: node eventsource-client.js URL [TYPE,TYPE...]
'use strict';
const EventSource = require('eventsource');
const [url, types = ''] = process.argv.slice(2);
const source = new EventSource(url);
const print = (object) => process.stdout.write(JSON.stringify(object) + '\n');
const take = (e) => print({ type: e.type, data: e.data, lastEventId: e.lastEventId });
source.onmessage = take;
for (const type of types.split(',').filter((t) => t && t !== 'message')) source.addEventListener(type, take);
source.onerror = (e) => {
  source.close();
  print({ end: e && e.message ? String(e.message) : 'closed' });
  process.exit(0);
};
setTimeout(() => { print({ end: 'timeout' }); process.exit(0); }, 20000);

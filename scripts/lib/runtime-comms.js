// @ts-check
'use strict';
/**
 * The editor's view of a running Node-RED, over its websocket (/comms): node status changes and debug
 * messages, as the editor shows them. Used by the demo, the example-flow tests and the benchmark.
 */
const WebSocket = require('ws');

/**
 * @param {string} url  the runtime's http://host:port
 * @param {{ onStatus?: (id: string, status: { text?: string, fill?: string, shape?: string }) => void,
 *           onDebug?: (debug: { id: string, name?: string, msg: string, format?: string }) => void }} handlers
 * @returns {Promise<WebSocket>} once subscribed
 */
function watchRuntime(url, handlers) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/comms`);
  socket.on('message', (data) => {
    for (const { topic, data: payload } of JSON.parse(String(data))) {
      if (topic.startsWith('status/')) handlers.onStatus?.(topic.slice('status/'.length), payload ?? {});
      else if (topic === 'debug') handlers.onDebug?.(payload);
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ subscribe: 'status/#' }));
      socket.send(JSON.stringify({ subscribe: 'debug' }));
      resolve(socket);
    });
  });
}

/**
 * Deploys a flow as the editor's Deploy button does: a full deployment (every node restarted), or with
 * type 'nodes' ("Modified nodes") only the nodes whose settings changed are stopped and started again.
 * @param {string} url
 * @param {unknown[]} flow
 * @param {'full' | 'nodes' | 'flows'} [type]
 */
async function deployFlow(url, flow, type = 'full') {
  const response = await fetch(`${url}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': type },
    body: JSON.stringify(flow),
  });
  if (response.status >= 300) throw new Error(`deploying failed: ${response.status} ${await response.text()}`);
}

/** Clicks an inject node's button (retrying briefly: right after a deploy the node may not be started yet). */
async function clickInject(url, id) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${url}/inject/${id}`, { method: 'POST' });
    if (response.status < 300) return;
    if (response.status !== 404 || Date.now() > deadline) throw new Error(`clicking inject ${id} failed: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = { watchRuntime, deployFlow, clickInject };

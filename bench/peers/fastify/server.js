'use strict'
// Fastify peer of `modelgate mock` for the validation benchmark. It validates each request body
// of POST PATH against the request JSON Schema of an OpenAPI document written by `modelgate
// openapi`, rejects bodies over the contract's max_payload_bytes with 413, and returns a fixed
// reply file, read once at start-up.
//
// Usage: node server.js --openapi FILE --reply FILE [--host 127.0.0.1] [--port 0] [--path /v1/score]
// Prints "listening on http://HOST:PORT" once it accepts connections.

const fs = require('node:fs')
const { parseArgs } = require('node:util')
const Fastify = require('fastify')
const { readRequestContract } = require('./request-contract')
const addContractVocabulary = require('./vocabulary')

const { values: options } = parseArgs({
  options: {
    openapi: { type: 'string' },
    reply: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    path: { type: 'string', default: '/v1/score' }
  }
})
if (!options.openapi || !options.reply) {
  console.error('usage: node server.js --openapi FILE --reply FILE [--host H] [--port N] [--path P]')
  process.exit(2)
}

let contract, reply
try {
  contract = readRequestContract(options.openapi, options.path)
  reply = fs.readFileSync(options.reply)
} catch (error) {
  console.error(error.message)
  process.exit(1)
}
const { schema, maxPayloadBytes } = contract

const app = Fastify({
  logger: false,
  // Fastify's own default, 1 MiB, applies when the contract sets no limit.
  bodyLimit: maxPayloadBytes ?? 1048576,
  ajv: {
    // Fastify's defaults coerce types and strip unknown members, which the contract rejects, so
    // both are off. allErrors reports every broken field, as modelgate's problem documents do.
    customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true },
    plugins: [[addContractVocabulary, { annotations: addContractVocabulary.extensionKeywords(schema) }]]
  }
})

app.post(options.path, { schema: { body: schema } }, async (request, response) => {
  response.type('application/json')
  return reply
})

app.listen({ host: options.host, port: Number(options.port) }).then((address) => {
  console.log(`listening on ${address}`)
}, (error) => {
  console.error(`cannot listen on ${options.host}:${options.port}: ${error.message}`)
  process.exit(1)
})

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => app.close().then(() => process.exit(0)))
}

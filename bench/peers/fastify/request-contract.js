'use strict'
// Reads what a fastify route needs to enforce one operation of an OpenAPI document written by
// `modelgate openapi`: the JSON Schema of the request body, with every local $ref replaced by
// its target, and the body size limit (x-modelgate-max-payload-bytes).
//
// As a command, prints the request body schema: node request-contract.js OPENAPI_JSON PATH

const fs = require('node:fs')

function resolvePointer (document, pointer, file) {
  if (!pointer.startsWith('#/')) throw new Error(`${file}: $ref ${pointer} is not local to the document`)
  return pointer.slice(2).split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, part) => {
      if (node === undefined || node === null || !(part in node)) {
        throw new Error(`${file}: $ref ${pointer} is not found`)
      }
      return node[part]
    }, document)
}

function inline (document, node, file, seen = []) {
  if (Array.isArray(node)) return node.map((item) => inline(document, item, file, seen))
  if (node === null || typeof node !== 'object') return node
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) throw new Error(`${file}: $ref ${node.$ref} refers to itself`)
    return inline(document, resolvePointer(document, node.$ref, file), file, [...seen, node.$ref])
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) =>
    [key, inline(document, value, file, seen)]))
}

// Returns { schema, maxPayloadBytes } of POST PATH in the OpenAPI document FILE, where
// maxPayloadBytes is undefined when the contract sets no limit. Throws when the operation has
// no application/json request body.
function readRequestContract (file, path) {
  const document = JSON.parse(fs.readFileSync(file, 'utf8'))
  const operation = document.paths?.[path]?.post
  const schema = operation?.requestBody?.content?.['application/json']?.schema
  if (!schema) {
    throw new Error(`${file}: no application/json request body for POST ${path}; ` +
      `paths: ${Object.keys(document.paths ?? {}).join(', ')}`)
  }
  return {
    schema: inline(document, schema, file),
    maxPayloadBytes: operation['x-modelgate-max-payload-bytes']
  }
}

module.exports = { readRequestContract }

if (require.main === module) {
  const [file, path] = process.argv.slice(2)
  if (!file || !path) {
    console.error('usage: node request-contract.js OPENAPI_JSON PATH')
    process.exit(2)
  }
  try {
    process.stdout.write(JSON.stringify(readRequestContract(file, path).schema, null, 2) + '\n')
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
}

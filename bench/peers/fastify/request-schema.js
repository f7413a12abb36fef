'use strict'
// Prints the JSON Schema of the request body of POST PATH in an OpenAPI document (the output of
// `modelgate openapi`), with every local $ref replaced by its target, so that fastify compiles
// the same rules modelgate enforces.
//
// Usage: node request-schema.js OPENAPI_JSON PATH

const fs = require('node:fs')

const [file, path] = process.argv.slice(2)
if (!file || !path) {
  console.error('usage: node request-schema.js OPENAPI_JSON PATH')
  process.exit(2)
}
const document = JSON.parse(fs.readFileSync(file, 'utf8'))

function resolvePointer (pointer) {
  if (!pointer.startsWith('#/')) throw new Error(`${file}: $ref ${pointer} is not local to the document`)
  return pointer.slice(2).split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, part) => {
      if (node === undefined || !(part in node)) throw new Error(`${file}: $ref ${pointer} is not found`)
      return node[part]
    }, document)
}

function inline (node, seen = []) {
  if (Array.isArray(node)) return node.map((item) => inline(item, seen))
  if (node === null || typeof node !== 'object') return node
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) throw new Error(`${file}: $ref ${node.$ref} refers to itself`)
    return inline(resolvePointer(node.$ref), [...seen, node.$ref])
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value, seen)]))
}

const operation = document.paths?.[path]?.post
const schema = operation?.requestBody?.content?.['application/json']?.schema
if (!schema) {
  console.error(`${file}: no application/json request body for POST ${path}; ` +
    `paths: ${Object.keys(document.paths ?? {}).join(', ')}`)
  process.exit(1)
}
process.stdout.write(JSON.stringify(inline(schema), null, 2) + '\n')

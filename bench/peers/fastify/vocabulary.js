'use strict'
// Ajv plugin with what modelgate's exported schemas use beyond JSON Schema: the iso4217 format
// and OpenAPI extension keywords (x-...), which annotate and do not validate. Ajv's strict mode
// rejects unknown formats and keywords at compile time.
//
// Usage: plugins: [[require('./vocabulary'), { annotations: extensionKeywords(schema) }]]

const currencyCodes = require('currency-codes')

// NOTE: currency-codes 2.2.0 lists CUC and lacks ZWL, unlike modelgate's ISO 4217 table. Every
// other code agrees.
const iso4217 = new Set(currencyCodes.codes())

// Returns every member name that starts with "x-" anywhere in a schema.
function extensionKeywords (node, found = new Set()) {
  if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) found.add(key)
      extensionKeywords(value, found)
    }
  }
  return [...found]
}

function addContractVocabulary (ajv, options = {}) {
  ajv.addFormat('iso4217', { type: 'string', validate: (code) => iso4217.has(code) })
  for (const keyword of options.annotations ?? []) {
    if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword })
  }
  return ajv
}

module.exports = addContractVocabulary
module.exports.extensionKeywords = extensionKeywords

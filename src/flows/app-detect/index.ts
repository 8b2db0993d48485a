/**
 * Application protocol detection: which service a connection speaks (Zeek's names), told from its
 * payload rather than its port, with a few attributes per protocol. The flow table keeps one
 * AppFlowState per connection and passes each payload packet to one shared AppDetector.
 */
export { AppDetector, APP_DETECTOR_DEFAULTS, type AppDetectorOptions } from './app-detector.js';
export { AppFlowState, newAppFlowState } from './app-flow-state.js';
export { APP_PROTOCOLS, APP_PROTOCOLS_BY_SERVICE } from './registry.js';

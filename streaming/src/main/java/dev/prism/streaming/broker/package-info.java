/** The embedded single-node KRaft broker and topic administration that works against any cluster. */
package dev.prism.streaming.broker;

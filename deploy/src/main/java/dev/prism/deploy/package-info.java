/** The one deployable: Quarkus application with the REST API, the dashboard, the CLI and the stage adapters. */
package dev.prism.deploy;

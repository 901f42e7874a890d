/** The live dashboard's server side: Server-Sent Events from the job tracker, the stored media with Range, and the 3D frames. */
package dev.prism.deploy.dashboard;

/**
 * Pipelined replication: a chunk server storing a chunk passes it on, as it arrives, to the next
 * server of the chain its sender named, so the sender's link carries each chunk once.
 */
package dfs.chunkserver.forward;

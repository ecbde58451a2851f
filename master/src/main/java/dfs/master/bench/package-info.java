/**
 * {@code dfs bench}: measures transfers through the real master against real chunk server
 * processes, the machine's component rates (AES-GCM, SHA-256, TLS, fsync) in the same run, and
 * the throughput limits those rates imply, so a figure can be read as a fraction of what this
 * machine could do at best.
 */
package dfs.master.bench;

/**
 * Helpers the kernels share across packages, not exported by the module: per-thread row scratch, fixed-order lane
 * reductions on vectors and their scalar emulation, the FMA choice on vectors.
 */
package org.reluq.kernels.internal;

/* SPDX-License-Identifier: MIT */
#ifndef TK_CORE_STACKS_H
#define TK_CORE_STACKS_H

/*
 * The stack trie (DESIGN.md 7): node = (parent id, frame id), where frame
 * ids are tk_strtab ids. A stack, root frame first, interns to the id of
 * its last node; that node's self weight grows by the sample's weight and
 * every node on the path grows its total. Samples are never stored: memory
 * is proportional to the unique stack prefixes (and capped).
 *
 * Walking the trie in "sorted" order yields the stacks in the byte order of
 * their folded text (frames joined with ';'), which is the order
 * FlameGraph's scripts print; no sort of whole lines is needed.
 */

#include <stddef.h>
#include <stdint.h>

struct tk_strtab;
struct tk_stacks;

/* The virtual root; it has no frame. Real nodes have ids >= 1. */
#define TK_STACKS_ROOT 0u

/* max_bytes: cap on the trie's memory; 0 means 1 GiB. NULL on ENOMEM. */
struct tk_stacks *tk_stacks_create(size_t max_bytes);
void tk_stacks_destroy(struct tk_stacks *s);

/* The node (parent, frame), created if new: 0 and *id, or -TK_ENOMEM / -TK_ELIMIT. */
int tk_stacks_child(struct tk_stacks *s, uint32_t parent, uint32_t frame, uint32_t *id);

/*
 * Intern frames[0..n) (root first) and add weight to the stack (weights
 * saturate at UINT64_MAX). n == 0 adds nothing. *leaf may be NULL.
 */
int tk_stacks_add(struct tk_stacks *s, const uint32_t *frames, size_t n, uint64_t weight,
		  uint32_t *leaf);
/* Add weight to a node's self weight and its path's totals. */
void tk_stacks_add_weight(struct tk_stacks *s, uint32_t node, uint64_t weight);

/* Nodes, the root included (so ids are < count). */
uint32_t tk_stacks_count(const struct tk_stacks *s);
uint32_t tk_stacks_get_parent(const struct tk_stacks *s, uint32_t id);
uint32_t tk_stacks_get_frame(const struct tk_stacks *s, uint32_t id);
/* Weight of stacks ending at the node / of every stack through it. */
uint64_t tk_stacks_get_self(const struct tk_stacks *s, uint32_t id);
uint64_t tk_stacks_get_total(const struct tk_stacks *s, uint32_t id);
size_t tk_stacks_bytes(const struct tk_stacks *s);

/*
 * Called once per node with a self weight, with the frame ids of its stack
 * (root first). Return 0 to go on; anything else stops the walk and is
 * returned by it.
 */
typedef int (*tk_stacks_walk_fn)(void *arg, const uint32_t *frames, size_t depth,
				 uint64_t weight);

/*
 * Visit the stacks in byte order of "f1;f2;...;fn" using the names in
 * `names`. Returns 0, the callback's value, or -TK_ENOMEM.
 */
int tk_stacks_walk_sorted(const struct tk_stacks *s, const struct tk_strtab *names,
			  tk_stacks_walk_fn fn, void *arg);

#endif

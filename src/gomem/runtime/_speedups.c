/* gomem._speedups: the hottest mutator operations of generated Go code, in C.
 *
 * Each function here is the fast path of a Python function of the model, step for step, on the
 * model's own objects (their attributes stay the state: nothing is cached between calls):
 *
 *   frame(g, typ, name)   Goroutine.frame    (runtime.py)   push a zeroed frame of locals
 *   pop(g, f)             Goroutine.pop      (runtime.py)   pop the top frame
 *   tmp(f, off, v)        tmp                (gorun/program.py) keep a pointer in a frame slot
 *   new(g, typ)           GeneratedGoroutine.new (runtime/proc.py) -> Heap.new_object ->
 *                         Heap._malloc_small_scan's nextFreeFast path (malloc.py)
 *   fill(py, g, stores, obj)  fill           (gorun/program.py) a composite literal's pointer fields
 *
 * Whenever a call is not the common case (a frame that needs morestack, an allocation that must refill
 * its mcache, a preemption due, the barrier on, the event log recording, an object of an unexpected
 * type, ...) the C function changes nothing and calls the Python function it stands for, which does
 * the whole operation.  So every object still goes through the model's allocation path, every cost is
 * charged where the Python code charges it, and the results are those of the Python code.
 *
 * Slots of the model's __slots__ classes are read through their member descriptors' offsets (set up
 * once by setup(), checked against the exact type of every object); attributes of the classes with a
 * __dict__ (Runtime, Heap, Collector, CostModel, EventLog) through the generic attribute lookup.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

/* ---- configuration (setup) ------------------------------------------------------------------ */

typedef struct {
    const char *name;
    Py_ssize_t off;
} SlotDef;

static PyTypeObject *T_goroutine, *T_generated, *T_p, *T_stack, *T_frame, *T_span, *T_mcache;
static PyObject *SHAPES;          /* stack._SHAPES: frame type -> (size, zero words) */
static PyObject *PY_FRAME, *PY_POP, *PY_TMP, *PY_NEW;  /* the Python functions */
static PyObject *RUNNING;         /* "running" */
static PyObject *KIND_P;          /* "p" */
static long long GUARD, ARENA_BASE, FORCE_PREEMPT, MAX_SMALL;

/* slot offsets */
static Py_ssize_t G_rt, G_p, G_stack, G_status;
static Py_ssize_t P_id, P_now;
static Py_ssize_t ST_words, ST_lo, ST_hi, ST_sp, ST_frames, ST_max_used;
static Py_ssize_t F_stack, F_base, F_type, F_name, F_size;
static Py_ssize_t S_start_addr, S_elemsize, S_nelems, S_freeindex, S_free_index_for_scan, S_alloc_cache,
    S_alloc_count, S_needzero, S_hb_src, S_hb_upto, S_heap_bits_addr;
static Py_ssize_t C_alloc, C_scan_alloc;

/* interned attribute names */
static PyObject *s_memprof, *s_cost, *s_frame, *s_ptr_store, *s_gc, *s_next_sysmon, *s_slice, *s_track_types, *s_log,
    *s_detail, *s_cur_p, *s_heap, *s_size, *s_ptrdata, *s_mcaches, *s_scan_tab, *s_hb_patterns,
    *s_write_heap_bits_small, *s_alloc_black, *s_mark_new, *s_cost_alloc, *s_blacken_enabled,
    *s_charge_alloc, *s_words, *s_wb_enabled;

#define SLOT(o, off) (*(PyObject **)((char *)(o) + (off)))

/* Replace a slot's value with *v* (a new reference, stolen). */
static inline void set_slot(PyObject *o, Py_ssize_t off, PyObject *v) {
    PyObject **at = (PyObject **)((char *)o + off);
    PyObject *old = *at;
    *at = v;
    Py_XDECREF(old);
}

static int slot_offset(PyTypeObject *cls, const char *name, Py_ssize_t *off) {
    PyObject *d = PyObject_GetAttrString((PyObject *)cls, name);
    if (d == NULL)
        return -1;
    if (!Py_IS_TYPE(d, &PyMemberDescr_Type) || ((PyMemberDescrObject *)d)->d_member->type != T_OBJECT_EX) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a __slots__ slot", cls->tp_name, name);
        Py_DECREF(d);
        return -1;
    }
    *off = ((PyMemberDescrObject *)d)->d_member->offset;
    Py_DECREF(d);
    return 0;
}

/* A Python int as a C long long; 0 with *ok cleared if it is not one or does not fit. */
static inline long long as_ll(PyObject *o, int *ok) {
    if (o == NULL || !PyLong_CheckExact(o)) {
        *ok = 0;
        return 0;
    }
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || (v == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        *ok = 0;
    }
    return v;
}

/* The 8-byte words of the model's memory behind a memoryview cast to "Q". */
static inline uint64_t *words_of(PyObject *mv, Py_ssize_t *n) {
    if (mv == NULL || !PyMemoryView_Check(mv))
        return NULL;
#ifdef _Py_MEMORYVIEW_RELEASED
    if (((PyMemoryViewObject *)mv)->flags & _Py_MEMORYVIEW_RELEASED)
        return NULL;
#endif
    Py_buffer *b = PyMemoryView_GET_BUFFER(mv);
    if (b->buf == NULL || b->readonly || b->itemsize != 8 || b->ndim != 1 || b->format == NULL ||
        strcmp(b->format, "Q") != 0 || (b->strides != NULL && b->strides[0] != 8))
        return NULL;
    *n = b->shape != NULL ? b->shape[0] : b->len / 8;
    return (uint64_t *)b->buf;
}

static inline int is_goroutine(PyObject *g) {
    return Py_IS_TYPE(g, T_generated) || Py_IS_TYPE(g, T_goroutine);
}

/* o.name: a new reference, NULL on error.  For the model's objects with a __dict__ (Runtime, Heap,
 * Collector, CostModel, EventLog) straight from the instance dict: none of the names read here is a
 * property or other data descriptor of their classes, so the dict holds what o.name is. */
static inline PyObject *GETATTR(PyObject *o, PyObject *name) {
    PyObject **dp = _PyObject_GetDictPtr(o);
    if (dp != NULL && *dp != NULL) {
        PyObject *v = PyDict_GetItemWithError(*dp, name);
        if (v != NULL) {
            Py_INCREF(v);
            return v;
        }
        if (PyErr_Occurred())
            return NULL;
    }
    return PyObject_GetAttr(o, name);
}

/* obj.attr += delta (a Python int add, as `+=` does on ints) */
static int add_to_slot(PyObject *o, Py_ssize_t off, PyObject *delta) {
    PyObject *cur = SLOT(o, off);
    if (cur == NULL) {
        PyErr_SetString(PyExc_AttributeError, "slot not set");
        return -1;
    }
    PyObject *v = PyNumber_Add(cur, delta);
    if (v == NULL)
        return -1;
    set_slot(o, off, v);
    return 0;
}

static inline int truth_attr(PyObject *o, PyObject *name) {
    PyObject *v = GETATTR(o, name);
    if (v == NULL)
        return -1;
    int t = PyObject_IsTrue(v);
    Py_DECREF(v);
    return t;
}

/* The Python function *fn* called as the method: fn(g, *args). */
static PyObject *call_method_py(PyObject *fn, PyObject *g, PyObject *const *args, Py_ssize_t nargs) {
    PyObject *a[8];
    if (nargs > 7)
        return PyErr_Format(PyExc_TypeError, "too many arguments");
    a[0] = g;
    for (Py_ssize_t i = 0; i < nargs; i++)
        a[i + 1] = args[i];
    return PyObject_Vectorcall(fn, a, nargs + 1, NULL);
}

/* ---- frame / pop ------------------------------------------------------------------------------ */

/* Goroutine.frame: push a frame of locals of type *typ* (zeroed) when it fits above the stack guard. */
static PyObject *sp_frame(PyObject *g, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !is_goroutine(g))
        goto slow;
    PyObject *typ = args[0], *name = args[1];
    PyObject *rt = SLOT(g, G_rt), *p = SLOT(g, G_p), *st = SLOT(g, G_stack);
    if (rt == NULL || p == NULL || st == NULL || !Py_IS_TYPE(st, T_stack) || !Py_IS_TYPE(p, T_p))
        goto slow;
    PyObject *shape = PyDict_GetItemWithError(SHAPES, typ);
    if (shape == NULL) {
        if (PyErr_Occurred())
            return NULL;
        goto slow;
    }
    int ok = 1;
    PyObject *size_o = PyTuple_GET_ITEM(shape, 0);
    long long size = as_ll(size_o, &ok);
    long long sp = as_ll(SLOT(st, ST_sp), &ok), lo = as_ll(SLOT(st, ST_lo), &ok);
    long long hi = as_ll(SLOT(st, ST_hi), &ok), max_used = as_ll(SLOT(st, ST_max_used), &ok);
    PyObject *frames = SLOT(st, ST_frames);
    if (!ok || frames == NULL || !PyList_CheckExact(frames) || sp - size - lo < GUARD)
        goto slow;
    long long base = sp - size;
    Py_ssize_t nwords = 0;
    uint64_t *w = NULL;
    if (size) {
        w = words_of(SLOT(st, ST_words), &nwords);
        long long i0 = (base - ARENA_BASE) >> 3;
        if (w == NULL || i0 < 0 || i0 + (size >> 3) > nwords)
            goto slow;
    }
    /* self.p.now += rt.cost.frame */
    PyObject *cost = GETATTR(rt, s_cost);
    if (cost == NULL)
        return NULL;
    PyObject *c = GETATTR(cost, s_frame);
    Py_DECREF(cost);
    if (c == NULL)
        return NULL;
    int err = add_to_slot(p, P_now, c);
    Py_DECREF(c);
    if (err)
        return NULL;
    PyObject *base_o = PyLong_FromLongLong(base);
    if (base_o == NULL)
        return NULL;
    Py_INCREF(base_o);
    set_slot(st, ST_sp, base_o);
    if (size)
        memset(w + ((base - ARENA_BASE) >> 3), 0, (size_t)(size >> 3) * 8);
    PyObject *f = T_frame->tp_alloc(T_frame, 0);
    if (f == NULL) {
        Py_DECREF(base_o);
        return NULL;
    }
    Py_INCREF(st);
    SLOT(f, F_stack) = st;
    SLOT(f, F_base) = base_o;
    Py_INCREF(typ);
    SLOT(f, F_type) = typ;
    Py_INCREF(name);
    SLOT(f, F_name) = name;
    Py_INCREF(size_o);
    SLOT(f, F_size) = size_o;
    if (PyList_Append(frames, f) < 0) {
        Py_DECREF(f);
        return NULL;
    }
    if (hi - base > max_used) {
        PyObject *m = PyLong_FromLongLong(hi - base);
        if (m == NULL) {
            Py_DECREF(f);
            return NULL;
        }
        set_slot(st, ST_max_used, m);
    }
    return f;
slow:
    return call_method_py(PY_FRAME, g, args, nargs);
}

/* Goroutine.pop of the top frame. */
static PyObject *sp_pop(PyObject *g, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1 || !is_goroutine(g) || !Py_IS_TYPE(args[0], T_frame))
        goto slow;
    PyObject *f = args[0];
    PyObject *rt = SLOT(g, G_rt), *p = SLOT(g, G_p), *st = SLOT(g, G_stack);
    if (rt == NULL || p == NULL || st == NULL || !Py_IS_TYPE(st, T_stack) || !Py_IS_TYPE(p, T_p))
        goto slow;
    PyObject *frames = SLOT(st, ST_frames);
    if (frames == NULL || !PyList_CheckExact(frames) || PyList_GET_SIZE(frames) == 0 ||
        PyList_GET_ITEM(frames, PyList_GET_SIZE(frames) - 1) != f)
        goto slow;
    PyObject *b = SLOT(f, F_base), *sz = SLOT(f, F_size);
    if (b == NULL || sz == NULL)
        goto slow;
    PyObject *cost = GETATTR(rt, s_cost);
    if (cost == NULL)
        return NULL;
    PyObject *c = GETATTR(cost, s_frame);
    Py_DECREF(cost);
    if (c == NULL)
        return NULL;
    int err = add_to_slot(p, P_now, c);
    Py_DECREF(c);
    if (err)
        return NULL;
    PyObject *sp = PyNumber_Add(b, sz); /* before the list drops its reference to f */
    if (sp == NULL)
        return NULL;
    if (PyList_SetSlice(frames, PyList_GET_SIZE(frames) - 1, PyList_GET_SIZE(frames), NULL) < 0) {
        Py_DECREF(sp);
        return NULL;
    }
    set_slot(st, ST_sp, sp);
    Py_RETURN_NONE;
slow:
    return call_method_py(PY_POP, g, args, nargs);
}

/* ---- tmp ------------------------------------------------------------------------------------ */

/* tmp(f, off, v): f.stack.words[(f.base - B + off) >> 3] = v; return v */
static PyObject *sp_tmp(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !Py_IS_TYPE(args[0], T_frame) || !PyLong_CheckExact(args[2]))
        goto slow;
    PyObject *f = args[0], *st = SLOT(f, F_stack);
    if (st == NULL || !Py_IS_TYPE(st, T_stack))
        goto slow;
    int ok = 1;
    long long base = as_ll(SLOT(f, F_base), &ok), off = as_ll(args[1], &ok);
    if (!ok)
        goto slow;
    unsigned long long v = PyLong_AsUnsignedLongLong(args[2]);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        goto slow;
    }
    Py_ssize_t n;
    uint64_t *w = words_of(SLOT(st, ST_words), &n);
    long long i = (base - ARENA_BASE + off) >> 3;
    if (w == NULL || i < 0 || i >= n)
        goto slow;
    w[i] = v;
    Py_INCREF(args[2]);
    return args[2];
slow:
    return PyObject_Vectorcall(PY_TMP, args, nargs, NULL);
}

/* ---- new -------------------------------------------------------------------------------------- */

/* Heap._write_heap_bits_small(s, x, size, typ) for an object of the type's own size whose pattern
 * *pat* = (src, scan size) is known, when the object's bits fit in one 64-bit load; returns 0 (having
 * changed nothing) otherwise, or on any surprise, for the Python method to do it. */
static int write_heap_bits_small(PyObject *s, uint8_t *mem, Py_ssize_t nbytes, long long x, long long elemsize,
                                 PyObject *pat) {
    PyObject *src_o = PyTuple_GET_ITEM(pat, 0), *hb_src = SLOT(s, S_hb_src);
    int ok = 1;
    long long start = as_ll(SLOT(s, S_start_addr), &ok), upto = as_ll(SLOT(s, S_hb_upto), &ok);
    long long hb_addr = as_ll(SLOT(s, S_heap_bits_addr), &ok);
    long long src = as_ll(src_o, &ok);
    if (!ok || hb_src == NULL || src < 0)
        return 0;
    long long o = (x - start) >> 3;
    long long nbits = elemsize >> 3;
    if (nbits <= 0 || o < 0)
        return 0;
    long long idx = o / nbits;
    long long b0 = o >> 3, sh = o & 7;
    long long at = hb_addr - ARENA_BASE + b0;
    long long nb = (sh + nbits + 7) >> 3;
    if (sh + nbits > 64 || at < 0 || at + nb > nbytes)
        return 0;
    int same = PyObject_RichCompareBool(src_o, hb_src, Py_EQ);
    if (same < 0) {
        PyErr_Clear();
        return 0;
    }
    if (same) {
        if (idx < upto)
            return 1; /* not reached: the caller checked */
        if (idx == upto)
            set_slot(s, S_hb_upto, PyLong_FromLongLong(idx + 1));
    } else if (hb_src == Py_None && idx == 0) {
        Py_INCREF(src_o);
        set_slot(s, S_hb_src, src_o);
        set_slot(s, S_hb_upto, PyLong_FromLong(1));
    } else {
        set_slot(s, S_hb_src, PyLong_FromLong(-1)); /* mixed patterns: write every time */
        set_slot(s, S_hb_upto, PyLong_FromLong(0));
    }
    uint64_t m = (nbits >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << nbits) - 1)) << sh;
    uint64_t old = 0;
    for (long long k = 0; k < nb; k++)
        old |= (uint64_t)mem[at + k] << (8 * k);
    uint64_t nw = (old & ~m) | ((uint64_t)src << sh);
    if (nw != old)
        for (long long k = 0; k < nb; k++)
            mem[at + k] = (uint8_t)(nw >> (8 * k));
    return 1;
}

/* GeneratedGoroutine.new(typ) while no preemption is due and nothing is recorded, and the object takes
 * nextFreeFast's path in Heap._malloc_small_scan; anything else is the Python method's. */
static PyObject *sp_new(PyObject *g, PyObject *const *args, Py_ssize_t nargs) {
    PyObject *gc = NULL, *heap = NULL, *obj = NULL, *size_o = NULL, *ptrdata = NULL, *tab = NULL;
    PyObject *ent = NULL, *mcaches = NULL, *pats = NULL, *log = NULL, *result = NULL;
    if (nargs != 1 || !Py_IS_TYPE(g, T_generated))
        goto slow;
    PyObject *typ = args[0];
    PyObject *rt = SLOT(g, G_rt), *p = SLOT(g, G_p), *status = SLOT(g, G_status);
    if (rt == NULL || p == NULL || status == NULL || !Py_IS_TYPE(p, T_p))
        goto slow;
    int ok = 1, t;
    /* preemption checks: self.status != "running" or p.now >= rt.gc.next_sysmon or a slice of 10 ms */
    if (status != RUNNING) {
        t = PyObject_RichCompareBool(status, RUNNING, Py_EQ);
        if (t < 0)
            goto error;
        if (!t)
            goto slow;
    }
    long long now = as_ll(SLOT(p, P_now), &ok);
    if (!ok)
        goto slow;
    if ((gc = GETATTR(rt, s_gc)) == NULL)
        goto error;
    if ((obj = GETATTR(gc, s_next_sysmon)) == NULL)
        goto error;
    long long next_sysmon = as_ll(obj, &ok);
    Py_CLEAR(obj);
    if (!ok || now >= next_sysmon)
        goto slow;
    if ((obj = GETATTR(rt, s_slice)) == NULL)
        goto error;
    if (!PyDict_CheckExact(obj) || SLOT(p, P_id) == NULL)
        goto slow;
    PyObject *s = PyDict_GetItemWithError(obj, SLOT(p, P_id));
    if (s == NULL && PyErr_Occurred())
        goto error;
    if (s != NULL) {
        if (!PyTuple_CheckExact(s) || PyTuple_GET_SIZE(s) < 2)
            goto slow;
        long long start = as_ll(PyTuple_GET_ITEM(s, 1), &ok);
        if (!ok || now - start >= FORCE_PREEMPT)
            goto slow;
    }
    Py_CLEAR(obj);
    /* rt.track_types or rt.memprof or rt.log.detail: Goroutine.alloc's path */
    if ((t = truth_attr(rt, s_track_types)) != 0)
        goto slow_or_error;
    if ((t = truth_attr(rt, s_memprof)) != 0)
        goto slow_or_error;
    if ((log = GETATTR(rt, s_log)) == NULL)
        goto error;
    if ((t = truth_attr(log, s_detail)) != 0)
        goto slow_or_error;
    /* Heap.new_object: a small type with pointers */
    if ((heap = GETATTR(rt, s_heap)) == NULL || (size_o = GETATTR(typ, s_size)) == NULL ||
        (ptrdata = GETATTR(typ, s_ptrdata)) == NULL)
        goto error;
    long long size = as_ll(size_o, &ok);
    if (!ok || (t = PyObject_IsTrue(ptrdata)) == 0 || size > MAX_SMALL)
        goto slow_or_error;
    /* Heap._malloc_small_scan: spc, elemsize, header = self._scan_tab[size] */
    if ((tab = GETATTR(heap, s_scan_tab)) == NULL)
        goto error;
    if ((ent = PyObject_GetItem(tab, size_o)) == NULL)
        goto error;
    if (!PyTuple_CheckExact(ent) || PyTuple_GET_SIZE(ent) != 3)
        goto slow;
    PyObject *spc_o = PyTuple_GET_ITEM(ent, 0);
    long long elemsize = as_ll(PyTuple_GET_ITEM(ent, 1), &ok);
    if (!ok || (t = PyObject_IsTrue(PyTuple_GET_ITEM(ent, 2))) != 0)
        goto slow_or_error; /* a malloc header */
    if ((mcaches = GETATTR(heap, s_mcaches)) == NULL)
        goto error;
    long long pid = as_ll(SLOT(p, P_id), &ok);
    if (!ok || !PyList_CheckExact(mcaches) || pid < 0 || pid >= PyList_GET_SIZE(mcaches))
        goto slow;
    PyObject *c = PyList_GET_ITEM(mcaches, pid);
    if (!Py_IS_TYPE(c, T_mcache) || SLOT(c, C_alloc) == NULL || !PyList_CheckExact(SLOT(c, C_alloc)))
        goto slow;
    long long spc = as_ll(spc_o, &ok);
    PyObject *alloc = SLOT(c, C_alloc);
    if (!ok || spc < 0 || spc >= PyList_GET_SIZE(alloc))
        goto slow;
    PyObject *sp = PyList_GET_ITEM(alloc, spc);
    if (!Py_IS_TYPE(sp, T_span))
        goto slow;
    /* nextFreeFast */
    PyObject *cache_o = SLOT(sp, S_alloc_cache);
    if (cache_o == NULL || !PyLong_CheckExact(cache_o))
        goto slow;
    unsigned long long cache = PyLong_AsUnsignedLongLong(cache_o);
    if (cache == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        goto slow;
    }
    if (!cache)
        goto slow;
    int bit = __builtin_ctzll(cache);
    long long freeindex = as_ll(SLOT(sp, S_freeindex), &ok), nelems = as_ll(SLOT(sp, S_nelems), &ok);
    long long start = as_ll(SLOT(sp, S_start_addr), &ok), count = as_ll(SLOT(sp, S_alloc_count), &ok);
    if (!ok)
        goto slow;
    long long res = freeindex + bit;
    if (res >= nelems)
        goto slow;
    long long freeidx = res + 1;
    if (!((freeidx & 63) || freeidx == nelems))
        goto slow;
    long long v = start + res * elemsize;
    PyObject *needzero = SLOT(sp, S_needzero);
    if (needzero == NULL || (t = PyObject_IsTrue(needzero)) < 0)
        goto slow_or_error;
    uint64_t *w = NULL;
    Py_ssize_t nwords = 0;
    /* needzero: the heap's words (rt.words is the heap's aspace.words) */
    PyObject *words = NULL;
    if (t) {
        if ((words = GETATTR(rt, s_words)) == NULL)
            goto error;
        w = words_of(words, &nwords);
        long long i0 = (v - ARENA_BASE) >> 3;
        if (w == NULL || elemsize > 256 || i0 < 0 || i0 + (elemsize >> 3) > nwords) {
            Py_DECREF(words);
            goto slow;
        }
    }
    /* the heap bits: already this type's pattern for the slot, or written by _write_heap_bits_small */
    int bits_done = 0;
    PyObject *scan_add = NULL, *pat_bits = NULL;
    uint8_t *w_bits = NULL;
    Py_ssize_t nbytes_bits = 0;
    if (elemsize == 8) {
        bits_done = 1;
    } else {
        if ((pats = GETATTR(heap, s_hb_patterns)) == NULL) {
            Py_XDECREF(words);
            goto error;
        }
        PyObject *pat = PyDict_CheckExact(pats) ? PyDict_GetItemWithError(pats, typ) : NULL;
        if (pat == NULL && PyErr_Occurred()) {
            Py_XDECREF(words);
            goto error;
        }
        if (pat != NULL && PyTuple_CheckExact(pat) && PyTuple_GET_SIZE(pat) >= 2 && SLOT(sp, S_hb_src) != NULL) {
            long long upto = as_ll(SLOT(sp, S_hb_upto), &ok);
            if (!ok) {
                Py_XDECREF(words);
                goto slow;
            }
            int same = PyObject_RichCompareBool(PyTuple_GET_ITEM(pat, 0), SLOT(sp, S_hb_src), Py_EQ);
            if (same < 0) {
                Py_XDECREF(words);
                goto error;
            }
            if (same && res < upto) {
                bits_done = 1;
                scan_add = PyTuple_GET_ITEM(pat, 1);
            }
        }
        if (!bits_done && pat != NULL && PyTuple_CheckExact(pat) && PyTuple_GET_SIZE(pat) >= 2) {
            /* the memory the heap bits live in: the same mmap as the words */
            if (words == NULL && (words = GETATTR(rt, s_words)) == NULL)
                goto error;
            Py_ssize_t nw;
            w_bits = (uint8_t *)words_of(words, &nw);
            nbytes_bits = nw * 8;
            pat_bits = pat;
        }
    }
    /* ---- from here on the allocation happens ---- */
    if (PyObject_SetAttr(rt, s_cur_p, p) < 0) {
        Py_XDECREF(words);
        goto error;
    }
    set_slot(sp, S_alloc_cache, PyLong_FromUnsignedLongLong(bit + 1 >= 64 ? 0 : cache >> (bit + 1)));
    PyObject *fi = PyLong_FromLongLong(freeidx);
    set_slot(sp, S_freeindex, fi);
    set_slot(sp, S_alloc_count, PyLong_FromLongLong(count + 1));
    if (w != NULL)
        memset(w + ((v - ARENA_BASE) >> 3), 0, (size_t)(elemsize >> 3) * 8);
    Py_XDECREF(words);
    PyObject *v_o = PyLong_FromLongLong(v);
    if (v_o == NULL || fi == NULL || SLOT(sp, S_alloc_cache) == NULL || SLOT(sp, S_alloc_count) == NULL)
        goto error;
    /* c.scan_alloc += 8 / the pattern's scan size / what _write_heap_bits_small returns */
    if (elemsize == 8) {
        PyObject *eight = PyLong_FromLong(8);
        int e = add_to_slot(c, C_scan_alloc, eight);
        Py_DECREF(eight);
        if (e)
            goto error_v;
    } else if (bits_done) {
        if (add_to_slot(c, C_scan_alloc, scan_add))
            goto error_v;
    } else if (!bits_done && w_bits != NULL && write_heap_bits_small(sp, w_bits, nbytes_bits, v, elemsize, pat_bits)) {
        if (add_to_slot(c, C_scan_alloc, PyTuple_GET_ITEM(pat_bits, 1)))
            goto error_v;
    } else {
        PyObject *ss = PyObject_CallMethodObjArgs(heap, s_write_heap_bits_small, sp, v_o, size_o, typ, NULL);
        if (ss == NULL)
            goto error_v;
        int e = add_to_slot(c, C_scan_alloc, ss);
        Py_DECREF(ss);
        if (e)
            goto error_v;
    }
    if ((t = truth_attr(heap, s_alloc_black)) < 0)
        goto error_v;
    if (t) {
        PyObject *r = PyObject_CallMethodObjArgs(heap, s_mark_new, sp, v_o, NULL);
        if (r == NULL)
            goto error_v;
        Py_DECREF(r);
    } else {
        Py_INCREF(SLOT(sp, S_freeindex));
        set_slot(sp, S_free_index_for_scan, SLOT(sp, S_freeindex));
    }
    /* back in new: p.now += rt.cost_alloc; assists while blackening */
    if ((obj = GETATTR(rt, s_cost_alloc)) == NULL)
        goto error_v;
    if (add_to_slot(p, P_now, obj))
        goto error_v;
    Py_CLEAR(obj);
    if ((t = truth_attr(gc, s_blacken_enabled)) < 0)
        goto error_v;
    if (t) {
        PyObject *r = PyObject_CallMethodObjArgs(gc, s_charge_alloc, g, p, size_o, NULL);
        if (r == NULL)
            goto error_v;
        Py_DECREF(r);
    }
    result = v_o;
    goto done;
error_v:
    Py_XDECREF(v_o);
    goto error;
slow_or_error:
    if (t < 0)
        goto error;
slow:
    Py_XDECREF(gc);
    Py_XDECREF(heap);
    Py_XDECREF(obj);
    Py_XDECREF(size_o);
    Py_XDECREF(ptrdata);
    Py_XDECREF(tab);
    Py_XDECREF(ent);
    Py_XDECREF(mcaches);
    Py_XDECREF(pats);
    Py_XDECREF(log);
    return call_method_py(PY_NEW, g, args, nargs);
error:
    result = NULL;
done:
    Py_XDECREF(gc);
    Py_XDECREF(heap);
    Py_XDECREF(obj);
    Py_XDECREF(size_o);
    Py_XDECREF(ptrdata);
    Py_XDECREF(tab);
    Py_XDECREF(ent);
    Py_XDECREF(mcaches);
    Py_XDECREF(pats);
    Py_XDECREF(log);
    return result;
}

/* ---- fill ------------------------------------------------------------------------------------- */

/* fill(python_fill, g, stores, obj): generated code's fill(g, stores, obj) (a closure of each program,
 * *python_fill*) while the barrier is off and nothing is recorded, every store a pointer ('p'): for
 * each, g.p.now += rt.cost.ptr_store and the plain word store. */
static PyObject *sp_fill(PyObject *self, PyObject *const *argv, Py_ssize_t nargv) {
    if (nargv < 1)
        return PyErr_Format(PyExc_TypeError, "fill(python_fill, g, stores, obj)");
    PyObject *const *args = argv + 1;
    Py_ssize_t nargs = nargv - 1;
    if (nargs != 3 || !is_goroutine(args[0]) || !PyTuple_CheckExact(args[1]) || !PyLong_CheckExact(args[2]))
        goto slow;
    PyObject *g = args[0], *stores = args[1];
    PyObject *rt = SLOT(g, G_rt), *p = SLOT(g, G_p);
    if (rt == NULL || p == NULL || !Py_IS_TYPE(p, T_p))
        goto slow;
    int ok = 1, t;
    long long obj = as_ll(args[2], &ok);
    if (!ok)
        goto slow;
    if ((t = truth_attr(rt, s_wb_enabled)) != 0) {
        if (t < 0)
            return NULL;
        goto slow;
    }
    PyObject *log = GETATTR(rt, s_log);
    if (log == NULL)
        return NULL;
    t = truth_attr(log, s_detail);
    Py_DECREF(log);
    if (t != 0) {
        if (t < 0)
            return NULL;
        goto slow;
    }
    PyObject *words = GETATTR(rt, s_words);
    if (words == NULL)
        return NULL;
    Py_ssize_t nwords;
    uint64_t *w = words_of(words, &nwords);
    Py_DECREF(words); /* rt keeps it alive */
    if (w == NULL)
        goto slow;
    Py_ssize_t n = PyTuple_GET_SIZE(stores);
    /* check every store first: then all happen here, or all in the Python function */
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *e = PyTuple_GET_ITEM(stores, k);
        if (!PyTuple_CheckExact(e) || PyTuple_GET_SIZE(e) != 3 || !PyLong_CheckExact(PyTuple_GET_ITEM(e, 2)))
            goto slow;
        PyObject *kind = PyTuple_GET_ITEM(e, 1);
        if (kind != KIND_P && !(PyUnicode_CheckExact(kind) && PyUnicode_Compare(kind, KIND_P) == 0))
            goto slow;
        long long off = as_ll(PyTuple_GET_ITEM(e, 0), &ok);
        long long i = (obj - ARENA_BASE + off) >> 3;
        if (!ok || i < 0 || i >= nwords)
            goto slow;
        unsigned long long v = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(e, 2));
        if (v == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            goto slow;
        }
    }
    PyObject *cost = GETATTR(rt, s_cost);
    if (cost == NULL)
        return NULL;
    PyObject *c = GETATTR(cost, s_ptr_store);
    Py_DECREF(cost);
    if (c == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *e = PyTuple_GET_ITEM(stores, k);
        if (add_to_slot(p, P_now, c)) {
            Py_DECREF(c);
            return NULL;
        }
        long long off = PyLong_AsLongLong(PyTuple_GET_ITEM(e, 0));
        w[(obj - ARENA_BASE + off) >> 3] = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(e, 2));
    }
    Py_DECREF(c);
    Py_INCREF(args[2]);
    return args[2];
slow:
    return PyObject_Vectorcall(argv[0], args, nargs, NULL);
}

/* ---- setup ------------------------------------------------------------------------------------ */

static int get_type(PyObject *kw, const char *key, PyTypeObject **out) {
    PyObject *v = PyDict_GetItemString(kw, key);
    if (v == NULL || !PyType_Check(v)) {
        PyErr_Format(PyExc_TypeError, "setup: %s must be a class", key);
        return -1;
    }
    Py_INCREF(v);
    Py_XSETREF(*out, (PyTypeObject *)v);
    return 0;
}

static int get_obj(PyObject *kw, const char *key, PyObject **out) {
    PyObject *v = PyDict_GetItemString(kw, key);
    if (v == NULL) {
        PyErr_Format(PyExc_TypeError, "setup: missing %s", key);
        return -1;
    }
    Py_INCREF(v);
    Py_XSETREF(*out, v);
    return 0;
}

static int get_ll(PyObject *kw, const char *key, long long *out) {
    PyObject *v = PyDict_GetItemString(kw, key);
    if (v == NULL || !PyLong_Check(v)) {
        PyErr_Format(PyExc_TypeError, "setup: %s must be an int", key);
        return -1;
    }
    *out = PyLong_AsLongLong(v);
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *sp_setup(PyObject *self, PyObject *args, PyObject *kw) {
    if (kw == NULL || PyTuple_GET_SIZE(args)) {
        PyErr_SetString(PyExc_TypeError, "setup takes keyword arguments only");
        return NULL;
    }
    if (get_type(kw, "Goroutine", &T_goroutine) || get_type(kw, "GeneratedGoroutine", &T_generated) ||
        get_type(kw, "P", &T_p) || get_type(kw, "Stack", &T_stack) || get_type(kw, "Frame", &T_frame) ||
        get_type(kw, "MSpan", &T_span) || get_type(kw, "MCache", &T_mcache) || get_obj(kw, "shapes", &SHAPES) ||
        get_obj(kw, "frame", &PY_FRAME) || get_obj(kw, "pop", &PY_POP) || get_obj(kw, "tmp", &PY_TMP) ||
        get_obj(kw, "new", &PY_NEW) || get_obj(kw, "running", &RUNNING) ||
        get_ll(kw, "guard", &GUARD) || get_ll(kw, "arena_base", &ARENA_BASE) ||
        get_ll(kw, "force_preempt_ns", &FORCE_PREEMPT) || get_ll(kw, "max_small", &MAX_SMALL))
        return NULL;
    struct {
        PyTypeObject *cls;
        const char *name;
        Py_ssize_t *off;
    } slots[] = {
        {T_goroutine, "rt", &G_rt}, {T_goroutine, "p", &G_p}, {T_goroutine, "stack", &G_stack},
        {T_goroutine, "status", &G_status}, {T_p, "id", &P_id}, {T_p, "now", &P_now},
        {T_stack, "words", &ST_words}, {T_stack, "lo", &ST_lo}, {T_stack, "hi", &ST_hi}, {T_stack, "sp", &ST_sp},
        {T_stack, "frames", &ST_frames}, {T_stack, "max_used", &ST_max_used}, {T_frame, "stack", &F_stack},
        {T_frame, "base", &F_base}, {T_frame, "type", &F_type}, {T_frame, "name", &F_name},
        {T_frame, "size", &F_size}, {T_span, "start_addr", &S_start_addr}, {T_span, "elemsize", &S_elemsize},
        {T_span, "nelems", &S_nelems}, {T_span, "freeindex", &S_freeindex},
        {T_span, "free_index_for_scan", &S_free_index_for_scan}, {T_span, "alloc_cache", &S_alloc_cache},
        {T_span, "alloc_count", &S_alloc_count}, {T_span, "needzero", &S_needzero}, {T_span, "hb_src", &S_hb_src},
        {T_span, "hb_upto", &S_hb_upto}, {T_span, "heap_bits_addr", &S_heap_bits_addr}, {T_mcache, "alloc", &C_alloc}, {T_mcache, "scan_alloc", &C_scan_alloc},
    };
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (slot_offset(slots[i].cls, slots[i].name, slots[i].off) < 0)
            return NULL;
    /* the generated-goroutine class must share Goroutine's layout */
    if (!PyType_IsSubtype(T_generated, T_goroutine)) {
        PyErr_SetString(PyExc_TypeError, "setup: GeneratedGoroutine must subclass Goroutine");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Methods of the goroutine classes: method(cls, name) makes the descriptor that setup's caller puts in
 * the class in place of the Python method. */
static PyMethodDef gmethods[] = {
    {"frame", (PyCFunction)(void (*)(void))sp_frame, METH_FASTCALL, "Goroutine.frame(typ, name), in C"},
    {"pop", (PyCFunction)(void (*)(void))sp_pop, METH_FASTCALL, "Goroutine.pop(frame), in C"},
    {"new", (PyCFunction)(void (*)(void))sp_new, METH_FASTCALL, "GeneratedGoroutine.new(typ), in C"},
    {NULL, NULL, 0, NULL},
};

static PyObject *sp_method(PyObject *self, PyObject *args) {
    PyObject *cls;
    const char *name;
    if (!PyArg_ParseTuple(args, "O!s", &PyType_Type, &cls, &name))
        return NULL;
    for (PyMethodDef *m = gmethods; m->ml_name; m++)
        if (strcmp(m->ml_name, name) == 0)
            return PyDescr_NewMethod((PyTypeObject *)cls, m);
    return PyErr_Format(PyExc_KeyError, "no C method %s", name);
}

static PyMethodDef methods[] = {
    {"method", sp_method, METH_VARARGS, "method(cls, name): the C method *name* as a descriptor of *cls*"},
    {"tmp", (PyCFunction)(void (*)(void))sp_tmp, METH_FASTCALL, "tmp(f, off, v)"},
    {"fill", (PyCFunction)(void (*)(void))sp_fill, METH_FASTCALL, "fill(python_fill, g, stores, obj)"},
    {"setup", (PyCFunction)(void (*)(void))sp_setup, METH_VARARGS | METH_KEYWORDS, "configure the classes"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "gomem._speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) {
#define INTERN(var, s)                                                                                       \
    if ((var = PyUnicode_InternFromString(s)) == NULL)                                                       \
        return NULL;
    INTERN(s_cost, "cost");
    INTERN(s_frame, "frame");
    INTERN(s_ptr_store, "ptr_store");
    INTERN(s_gc, "gc");
    INTERN(s_next_sysmon, "next_sysmon");
    INTERN(s_slice, "slice");
    INTERN(s_track_types, "track_types");
    INTERN(s_memprof, "memprof");
    INTERN(s_log, "log");
    INTERN(s_detail, "detail");
    INTERN(s_cur_p, "cur_p");
    INTERN(s_heap, "heap");
    INTERN(s_size, "size");
    INTERN(s_ptrdata, "ptrdata");
    INTERN(s_mcaches, "mcaches");
    INTERN(s_scan_tab, "_scan_tab");
    INTERN(s_hb_patterns, "_hb_patterns");
    INTERN(s_write_heap_bits_small, "_write_heap_bits_small");
    INTERN(s_alloc_black, "alloc_black");
    INTERN(s_mark_new, "_mark_new");
    INTERN(s_cost_alloc, "cost_alloc");
    INTERN(s_blacken_enabled, "blacken_enabled");
    INTERN(s_charge_alloc, "charge_alloc");
    INTERN(s_words, "words");
    INTERN(s_wb_enabled, "wb_enabled");
    INTERN(KIND_P, "p");
    return PyModule_Create(&module);
}

from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'checklist.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_view = resolve('view')
    l_0_report = resolve('report')
    l_0_total = resolve('total')
    l_0_stacks = resolve('stacks')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_3 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_4 = environment.filters['mdspan']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'mdspan' found.")
    try:
        t_5 = environment.filters['rejectattr']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'rejectattr' found.")
    try:
        t_6 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    pass
    yield '# Release checklist\n\n**'
    yield str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict_mark'), environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'stacks'))))
    yield ' '
    yield str(environment.finalize(t_3(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict'), environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'stacks')))))
    yield '**'
    if context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'rules_summary'), (undefined(name='report') if l_0_report is missing else l_0_report)):
        pass
        yield " <br><sub>Labels from impact's rules table: "
        yield str(environment.finalize(t_3(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'rules_summary'), (undefined(name='report') if l_0_report is missing else l_0_report)))))
        yield '.</sub>'
    yield '\n\n'
    if (undefined(name='total') if l_0_total is missing else l_0_total):
        pass
        yield str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), (undefined(name='total') if l_0_total is missing else l_0_total), 'item')))
        yield ' to check'
        if (t_1((undefined(name='stacks') if l_0_stacks is missing else l_0_stacks)) > 1):
            pass
            yield ' across '
            yield str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), t_1((undefined(name='stacks') if l_0_stacks is missing else l_0_stacks)), 'stack')))
        yield '. Tick each one once it is checked, or link the ticket that covers it.\n'
    else:
        pass
        yield 'Nothing to check: no change replaces, removes or interrupts a resource, and there is no error or warning.\n'
    l_1_loop = missing
    for (l_1_stack, l_1_items, l_1_quiet, l_1_ignored), l_1_loop in LoopContext((undefined(name='stacks') if l_0_stacks is missing else l_0_stacks), undefined):
        l_1_infos = l_1_added = l_1_imported = missing
        _loop_vars = {}
        pass
        yield '\n## '
        yield str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict_mark'), [l_1_stack], _loop_vars=_loop_vars)))
        yield ' '
        yield str(environment.finalize(t_3(environment.getattr(l_1_stack, 'name'))))
        yield '\n\n'
        yield str(environment.finalize((t_4(environment.getattr(l_1_stack, 'old')) if environment.getattr(l_1_stack, 'old') else '(none)')))
        yield ' → '
        yield str(environment.finalize((t_4(environment.getattr(l_1_stack, 'new')) if environment.getattr(l_1_stack, 'new') else '(none)')))
        yield ': '
        yield str(environment.finalize(t_3(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict'), [l_1_stack], _loop_vars=_loop_vars))))
        yield '\n'
        for l_2_warning in environment.getattr(l_1_stack, 'warnings'):
            _loop_vars = {}
            pass
            yield '\n> [!WARNING]\n> '
            yield str(environment.finalize(t_4(str_join((environment.getattr(l_2_warning, 'file'), ':', environment.getattr(l_2_warning, 'line'), ':', environment.getattr(l_2_warning, 'column'), )))))
            yield ': '
            yield str(environment.finalize(t_3(environment.getattr(l_2_warning, 'message'))))
            yield '\n'
        l_2_warning = missing
        for l_2_note in environment.getattr(l_1_stack, 'notes'):
            _loop_vars = {}
            pass
            yield '\n> [!NOTE]\n> '
            yield str(environment.finalize(t_3(l_2_note)))
            yield '\n'
        l_2_note = missing
        yield '\n'
        for l_2_item in l_1_items:
            _loop_vars = {}
            pass
            yield '- [ ] '
            yield str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'EMOJI'), environment.getattr(l_2_item, 'key'))))
            yield ' '
            yield str(environment.finalize(environment.getattr(l_2_item, 'text')))
            yield '\n'
        l_2_item = missing
        if (not l_1_items):
            pass
            yield 'Nothing to check in this stack.\n'
        l_1_infos = t_2(context.eval_ctx, t_6(context, environment.getattr(l_1_stack, 'findings'), 'severity', 'equalto', 'info'))
        _loop_vars['infos'] = l_1_infos
        l_1_added = t_2(context.eval_ctx, t_5(context, t_6(context, environment.getattr(l_1_stack, 'resources'), 'action', 'equalto', 'add'), 'ignored'))
        _loop_vars['added'] = l_1_added
        l_1_imported = t_2(context.eval_ctx, t_5(context, t_6(context, environment.getattr(l_1_stack, 'resources'), 'action', 'equalto', 'import'), 'ignored'))
        _loop_vars['imported'] = l_1_imported
        if ((((((undefined(name='infos') if l_1_infos is missing else l_1_infos) or environment.getitem(l_1_quiet, 0)) or (undefined(name='added') if l_1_added is missing else l_1_added)) or (undefined(name='imported') if l_1_imported is missing else l_1_imported)) or l_1_ignored) or environment.getattr(l_1_stack, 'sections')):
            pass
            yield '\nFor information:\n\n'
            for l_2_f in (undefined(name='infos') if l_1_infos is missing else l_1_infos):
                _loop_vars = {}
                pass
                yield '- '
                yield str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'EMOJI'), 'info')))
                yield ' '
                yield str(environment.finalize(t_4(environment.getattr(l_2_f, 'id'))))
                if environment.getattr(l_2_f, 'logical_id'):
                    pass
                    yield ' in '
                    yield str(environment.finalize(t_4(environment.getattr(l_2_f, 'logical_id'))))
                yield ': '
                yield str(environment.finalize(t_3(environment.getattr(l_2_f, 'message'))))
                yield '\n'
            l_2_f = missing
            if environment.getitem(l_1_quiet, 0):
                pass
                yield '- '
                yield str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'EMOJI'), 'no-interruption')))
                yield ' Updated in place without interruption: '
                yield str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), environment.getitem(l_1_quiet, 0), 'change', _loop_vars=_loop_vars)))
                yield ' in '
                yield str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), environment.getitem(l_1_quiet, 1), 'resource', _loop_vars=_loop_vars)))
                yield '.\n'
            if (undefined(name='added') if l_1_added is missing else l_1_added):
                pass
                yield '- '
                yield str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'EMOJI'), 'added')))
                yield ' Added: '
                l_2_loop = missing
                for l_2_rd, l_2_loop in LoopContext((undefined(name='added') if l_1_added is missing else l_1_added), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.finalize(t_4(environment.getattr(l_2_rd, 'logical_id'))))
                    yield ' ('
                    yield str(environment.finalize(t_4(environment.getattr(l_2_rd, 'type'))))
                    if environment.getattr(l_2_rd, 'properties'):
                        pass
                        yield ', with '
                        l_3_loop = missing
                        for l_3_key, l_3_loop in LoopContext(environment.getattr(l_2_rd, 'properties'), undefined):
                            _loop_vars = {}
                            pass
                            yield str(environment.finalize(t_4(l_3_key)))
                            if (not environment.getattr(l_3_loop, 'last')):
                                pass
                                yield ', '
                        l_3_loop = l_3_key = missing
                    yield ')'
                    if (not environment.getattr(l_2_loop, 'last')):
                        pass
                        yield '; '
                l_2_loop = l_2_rd = missing
                yield '.\n'
            if (undefined(name='imported') if l_1_imported is missing else l_1_imported):
                pass
                yield '- '
                yield str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'EMOJI'), 'imported')))
                yield ' Imported (existing resources brought under the stack; nothing is created): '
                l_2_loop = missing
                for l_2_rd, l_2_loop in LoopContext((undefined(name='imported') if l_1_imported is missing else l_1_imported), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.finalize(t_4(environment.getattr(l_2_rd, 'logical_id'))))
                    yield ' ('
                    yield str(environment.finalize(t_4(environment.getattr(l_2_rd, 'type'))))
                    yield ')'
                    if (not environment.getattr(l_2_loop, 'last')):
                        pass
                        yield '; '
                l_2_loop = l_2_rd = missing
                yield '.\n'
            for l_2_sc in environment.getattr(l_1_stack, 'sections'):
                l_2_pair = missing
                _loop_vars = {}
                pass
                l_2_pair = context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'value_pair'), environment.getattr(l_2_sc, 'before'), environment.getattr(l_2_sc, 'after'), _loop_vars=_loop_vars)
                _loop_vars['pair'] = l_2_pair
                yield '- '
                yield str(environment.finalize(t_3(environment.getattr(l_2_sc, 'section'))))
                if environment.getattr(l_2_sc, 'name'):
                    pass
                    yield ' '
                    yield str(environment.finalize(t_4(environment.getattr(l_2_sc, 'name'))))
                yield ': '
                yield str(environment.finalize(environment.getattr(l_2_sc, 'kind')))
                yield ' '
                yield str(environment.finalize(t_4(environment.getattr(l_2_sc, 'path'))))
                yield ', '
                yield str(environment.finalize(t_4(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 0))))
                yield ' → '
                yield str(environment.finalize(t_4(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 1))))
                yield '\n'
            l_2_sc = l_2_pair = missing
            for (l_2_what, l_2_reason) in l_1_ignored:
                _loop_vars = {}
                pass
                yield '- '
                yield str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'EMOJI'), 'ignored')))
                yield ' Ignored by config: '
                yield str(environment.finalize(l_2_what))
                yield ': '
                yield str(environment.finalize(t_3(l_2_reason)))
                yield '\n'
            l_2_what = l_2_reason = missing
    l_1_loop = l_1_stack = l_1_items = l_1_quiet = l_1_ignored = l_1_infos = l_1_added = l_1_imported = missing
    yield '\n## Sign-off\n\n- [ ] Every item above is checked, or has a ticket that says why it is safe\n- [ ] The release window and a rollback plan are agreed\n- Reviewed by: ____________________ Date: ____________\n- Approved for release by: ____________________ Date: ____________\n'

blocks = {}
debug_info = '6=52&9=62&10=64&14=75&16=80&18=84&19=90&22=94&24=99&27=103&30=107&31=111&33=116&36=119&37=121&38=123&39=125&43=128&44=132&46=143&47=146&49=152&50=155&52=182&53=185&55=200&56=204&57=207&59=222&60=226'
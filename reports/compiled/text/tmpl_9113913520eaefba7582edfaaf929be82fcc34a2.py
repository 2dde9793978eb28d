from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'comment.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_head = l_0_decisions = l_0_left_out = l_0_stack_open = l_0_finding_item = l_0_stack_findings = l_0_sections = l_0_change_item = l_0_security_item = l_0_resource = l_0_resource_line = l_0_resource_lines = l_0_group = l_0_added_group = l_0_detail_dropped = l_0_sources_differ = l_0_explained = l_0_stack_close = missing
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_4 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_5 = environment.filters['mdcode']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'mdcode' found.")
    try:
        t_6 = environment.filters['mdlines']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'mdlines' found.")
    try:
        t_7 = environment.filters['mdspan']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'mdspan' found.")
    try:
        t_8 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    try:
        t_9 = environment.filters['unique']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'unique' found.")
    pass
    def macro(l_1_stacks, l_1_columns):
        t_10 = []
        l_1_view = resolve('view')
        if l_1_stacks is missing:
            l_1_stacks = undefined("parameter 'stacks' was not provided", name='stacks')
        if l_1_columns is missing:
            l_1_columns = undefined("parameter 'columns' was not provided", name='columns')
        pass
        t_10.extend((
            '### ',
            str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'verdict_mark'), l_1_stacks))),
            ' impact: ',
            str(environment.finalize(t_4(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'verdict'), l_1_stacks)))),
            '\n',
        ))
        if ((t_2(l_1_stacks) > 1) and l_1_columns):
            pass
            t_10.append(
                '\n| stack |',
            )
            for l_2_c in l_1_columns:
                _loop_vars = {}
                pass
                t_10.extend((
                    ' ',
                    str(environment.finalize((str_join((environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), l_2_c), ' ', )) if (l_2_c in environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI')) else cond_expr_undefined("the inline if-expression on line 15 in 'comment.md.j2' evaluated to false and no else section was defined.")))),
                    str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'short_title'), l_2_c, _loop_vars=_loop_vars))),
                    ' |',
                ))
            l_2_c = missing
            t_10.extend((
                '\n|:--|',
                str(environment.finalize(('--:|' * t_2(l_1_columns)))),
                '\n',
            ))
            for l_2_stack in l_1_stacks:
                _loop_vars = {}
                pass
                t_10.extend((
                    '| ',
                    str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'verdict_mark'), [l_2_stack], _loop_vars=_loop_vars))),
                    ' ',
                    str(environment.finalize(t_5(environment.getattr(l_2_stack, 'name')))),
                    ' | ',
                    str(environment.finalize(t_1(context.eval_ctx, context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'summary_row'), l_2_stack, l_1_columns, _loop_vars=_loop_vars), ' | '))),
                    ' |\n',
                ))
            l_2_stack = missing
            t_10.append(
                '\n<sub>Resources, by their most disruptive change, as in the headline.</sub>\n',
            )
        return concat(t_10)
    context.exported_vars.add('head')
    context.vars['head'] = l_0_head = Macro(environment, macro, 'head', ('stacks', 'columns'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_groups, l_1_count, l_1_many, l_1_left):
        t_11 = []
        l_1_view = resolve('view')
        if l_1_groups is missing:
            l_1_groups = undefined("parameter 'groups' was not provided", name='groups')
        if l_1_count is missing:
            l_1_count = undefined("parameter 'count' was not provided", name='count')
        if l_1_many is missing:
            l_1_many = undefined("parameter 'many' was not provided", name='many')
        if l_1_left is missing:
            l_1_left = undefined("parameter 'left' was not provided", name='left')
        pass
        t_11.extend((
            '**⛔ Needs a decision: ',
            str(environment.finalize(l_1_count)),
            '**',
        ))
        if (l_1_many and (t_2(l_1_groups) > 1)):
            pass
            t_11.extend((
                ' in ',
                str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), t_2(l_1_groups), 'stack'))),
            ))
        if (not l_1_many):
            pass
            t_11.append(
                '\n',
            )
        t_11.append(
            '\n',
        )
        for (l_2_stack, l_2_items) in l_1_groups:
            _loop_vars = {}
            pass
            if l_1_many:
                pass
                t_11.extend((
                    '\n',
                    str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'verdict_mark'), [l_2_stack], _loop_vars=_loop_vars))),
                    ' ',
                    str(environment.finalize(t_7(environment.getattr(l_2_stack, 'name')))),
                    '\n',
                ))
            for l_3_item in l_2_items:
                _loop_vars = {}
                pass
                t_11.extend((
                    '- ',
                    str(environment.finalize(l_3_item)),
                    '\n',
                ))
            l_3_item = missing
        l_2_stack = l_2_items = missing
        if l_1_left:
            pass
            t_11.extend((
                '- … and ',
                str(environment.finalize(context.call(environment.getattr('{:,}', 'format'), l_1_left))),
                ' more, left out for size.\n',
            ))
        return concat(t_11)
    context.exported_vars.add('decisions')
    context.vars['decisions'] = l_0_decisions = Macro(environment, macro, 'decisions', ('groups', 'count', 'many', 'left'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_items, l_1_budget, l_1_fits):
        t_12 = []
        l_1_view = resolve('view')
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        if l_1_budget is missing:
            l_1_budget = undefined("parameter 'budget' was not provided", name='budget')
        if l_1_fits is missing:
            l_1_fits = undefined("parameter 'fits' was not provided", name='fits')
        pass
        t_12.append(
            '> [!NOTE]\n',
        )
        if l_1_fits:
            pass
            t_12.extend((
                '> Shortened to fit in ',
                str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), l_1_budget, 'character'))),
                '. Left out:\n',
            ))
        else:
            pass
            t_12.extend((
                '> Could not fit in ',
                str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), l_1_budget, 'character'))),
                '; this is the shortest form. Left out:\n',
            ))
        for l_2_item in l_1_items:
            _loop_vars = {}
            pass
            t_12.extend((
                '> - ',
                str(environment.finalize(l_2_item)),
                '\n',
            ))
        l_2_item = missing
        t_12.append(
            '>\n> `impact diff --format html` writes the whole report.\n',
        )
        return concat(t_12)
    context.exported_vars.add('left_out')
    context.vars['left_out'] = l_0_left_out = Macro(environment, macro, 'left_out', ('items', 'budget', 'fits'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_stack, l_1_open):
        t_13 = []
        l_1_view = resolve('view')
        if l_1_stack is missing:
            l_1_stack = undefined("parameter 'stack' was not provided", name='stack')
        if l_1_open is missing:
            l_1_open = undefined("parameter 'open' was not provided", name='open')
        pass
        t_13.append(
            '<details',
        )
        if l_1_open:
            pass
            t_13.append(
                ' open',
            )
        t_13.extend((
            '>\n<summary>',
            str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'verdict_mark'), [l_1_stack]))),
            ' <b>',
            str(environment.finalize(t_4(environment.getattr(l_1_stack, 'name')))),
            '</b>: ',
            str(environment.finalize(t_4(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'verdict'), [l_1_stack])))),
            '</summary>\n\n',
            str(environment.finalize((t_7(environment.getattr(l_1_stack, 'old')) if environment.getattr(l_1_stack, 'old') else '(none)'))),
            ' → ',
            str(environment.finalize((t_7(environment.getattr(l_1_stack, 'new')) if environment.getattr(l_1_stack, 'new') else '(none)'))),
            '\n',
        ))
        for l_2_warning in environment.getattr(l_1_stack, 'warnings'):
            _loop_vars = {}
            pass
            t_13.extend((
                '\n> [!WARNING]\n> ',
                str(environment.finalize(t_7(str_join((environment.getattr(l_2_warning, 'file'), ':', environment.getattr(l_2_warning, 'line'), ':', environment.getattr(l_2_warning, 'column'), ))))),
                ': ',
                str(environment.finalize(t_4(environment.getattr(l_2_warning, 'message')))),
                '\n',
            ))
        l_2_warning = missing
        for l_2_note in environment.getattr(l_1_stack, 'notes'):
            _loop_vars = {}
            pass
            t_13.extend((
                '\n> [!NOTE]\n> ',
                str(environment.finalize(t_4(l_2_note))),
                '\n',
            ))
        l_2_note = missing
        return concat(t_13)
    context.exported_vars.add('stack_open')
    context.vars['stack_open'] = l_0_stack_open = Macro(environment, macro, 'stack_open', ('stack', 'open'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_f, l_1_with_id):
        t_14 = []
        l_1_view = resolve('view')
        if l_1_f is missing:
            l_1_f = undefined("parameter 'f' was not provided", name='f')
        if l_1_with_id is missing:
            l_1_with_id = undefined("parameter 'with_id' was not provided", name='with_id')
        pass
        t_14.extend((
            str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), environment.getattr(l_1_f, 'severity')))),
            ' ',
            str(environment.finalize(t_7(environment.getattr(l_1_f, 'id')))),
        ))
        if (l_1_with_id and environment.getattr(l_1_f, 'logical_id')):
            pass
            t_14.extend((
                ' ',
                str(environment.finalize(t_7(environment.getattr(l_1_f, 'logical_id')))),
                str(environment.finalize(t_4(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'after_subject'), l_1_f)))),
            ))
        else:
            pass
            t_14.extend((
                ': ',
                str(environment.finalize(t_4(environment.getattr(l_1_f, 'message')))),
            ))
        return concat(t_14)
    context.exported_vars.add('finding_item')
    context.vars['finding_item'] = l_0_finding_item = Macro(environment, macro, 'finding_item', ('f', 'with_id'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_findings):
        t_15 = []
        if l_1_findings is missing:
            l_1_findings = undefined("parameter 'findings' was not provided", name='findings')
        pass
        for l_2_f in l_1_findings:
            _loop_vars = {}
            pass
            t_15.extend((
                '- ',
                str(environment.finalize(context.call((undefined(name='finding_item') if l_0_finding_item is missing else l_0_finding_item), l_2_f, True, _loop_vars=_loop_vars))),
                '\n',
            ))
        l_2_f = missing
        return concat(t_15)
    context.exported_vars.add('stack_findings')
    context.vars['stack_findings'] = l_0_stack_findings = Macro(environment, macro, 'stack_findings', ('findings',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_stack, l_1_values):
        t_16 = []
        if l_1_stack is missing:
            l_1_stack = undefined("parameter 'stack' was not provided", name='stack')
        if l_1_values is missing:
            l_1_values = undefined("parameter 'values' was not provided", name='values')
        pass
        t_16.append(
            '**Changes outside Resources**\n\n',
        )
        for l_2_sc in environment.getattr(l_1_stack, 'sections'):
            l_2_view = resolve('view')
            l_2_width = resolve('width')
            l_2_pair = missing
            _loop_vars = {}
            pass
            l_2_pair = context.call(environment.getattr((undefined(name='view') if l_2_view is missing else l_2_view), 'value_pair'), environment.getattr(l_2_sc, 'before'), environment.getattr(l_2_sc, 'after'), (undefined(name='width') if l_2_width is missing else l_2_width), _loop_vars=_loop_vars)
            _loop_vars['pair'] = l_2_pair
            t_16.extend((
                '- ',
                str(environment.finalize(t_4(context.call(environment.getattr((undefined(name='view') if l_2_view is missing else l_2_view), 'section_title'), l_2_sc, _loop_vars=_loop_vars)))),
                ' ',
                str(environment.finalize(environment.getattr(l_2_sc, 'kind'))),
                ' ',
                str(environment.finalize(t_5(environment.getattr(l_2_sc, 'path')))),
            ))
            if l_1_values:
                pass
                t_16.extend((
                    ': ',
                    str(environment.finalize(t_5(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 0)))),
                    ' → ',
                    str(environment.finalize(t_5(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 1)))),
                ))
            t_16.append(
                '\n',
            )
        l_2_sc = l_2_view = l_2_width = l_2_pair = missing
        return concat(t_16)
    context.exported_vars.add('sections')
    context.vars['sections'] = l_0_sections = Macro(environment, macro, 'sections', ('stack', 'values'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c, l_1_values, l_1_differ):
        t_17 = []
        l_1_view = resolve('view')
        l_1_md_text = resolve('md_text')
        l_1_md_code = resolve('md_code')
        l_1_width = resolve('width')
        l_1_why = missing
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_values is missing:
            l_1_values = undefined("parameter 'values' was not provided", name='values')
        if l_1_differ is missing:
            l_1_differ = undefined("parameter 'differ' was not provided", name='differ')
        pass
        l_1_why = context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'reasons'), l_1_c, (undefined(name='md_text') if l_1_md_text is missing else l_1_md_text), (undefined(name='md_code') if l_1_md_code is missing else l_1_md_code), l_1_differ)
        t_17.extend((
            '- ',
            str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), ('ignored' if environment.getattr(l_1_c, 'ignored') else environment.getattr(l_1_c, 'impact'))))),
            ' ',
            str(environment.finalize(environment.getattr(l_1_c, 'impact'))),
        ))
        if environment.getattr(l_1_c, 'ignored'):
            pass
            t_17.append(
                ' (ignored)',
            )
        t_17.extend((
            ' ',
            str(environment.finalize((t_5(environment.getattr(l_1_c, 'path')) if environment.getattr(l_1_c, 'path') else '(whole resource)'))),
        ))
        if l_1_values:
            pass
            if context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'is_block'), environment.getattr(l_1_c, 'before'), environment.getattr(l_1_c, 'after')):
                pass
                t_17.extend((
                    ':<br>',
                    str(environment.finalize(t_6(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'block_lines'), environment.getattr(l_1_c, 'before'), environment.getattr(l_1_c, 'after'))))),
                ))
            else:
                pass
                t_17.extend((
                    ': ',
                    str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'values_line'), environment.getattr(l_1_c, 'before'), environment.getattr(l_1_c, 'after'), (undefined(name='width') if l_1_width is missing else l_1_width), (undefined(name='md_code') if l_1_md_code is missing else l_1_md_code)))),
                ))
        if (undefined(name='why') if l_1_why is missing else l_1_why):
            pass
            t_17.extend((
                '<br><sub>',
                str(environment.finalize(t_1(context.eval_ctx, (undefined(name='why') if l_1_why is missing else l_1_why), '<br>'))),
                '</sub>',
            ))
        return concat(t_17)
    context.exported_vars.add('change_item')
    context.vars['change_item'] = l_0_change_item = Macro(environment, macro, 'change_item', ('c', 'values', 'differ'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_row):
        t_18 = []
        l_1_view = resolve('view')
        l_1_key = l_1_details = missing
        if l_1_row is missing:
            l_1_row = undefined("parameter 'row' was not provided", name='row')
        pass
        l_1_key = context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'security_key'), l_1_row)
        l_1_details = context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'security_details'), l_1_row)
        t_18.extend((
            '- ',
            str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), (undefined(name='key') if l_1_key is missing else l_1_key)))),
            ' ',
            str(environment.finalize((undefined(name='key') if l_1_key is missing else l_1_key))),
            ' · ',
            str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'FAMILY_WORDS'), environment.getattr(l_1_row, 'family')))),
            ': ',
            str(environment.finalize(t_4(environment.getattr(l_1_row, 'summary')))),
        ))
        if (undefined(name='details') if l_1_details is missing else l_1_details):
            pass
            t_18.append(
                '<br><sub>',
            )
            l_2_loop = missing
            for (l_2_name, l_2_value), l_2_loop in LoopContext((undefined(name='details') if l_1_details is missing else l_1_details), undefined):
                _loop_vars = {}
                pass
                t_18.extend((
                    str(environment.finalize(t_4(l_2_name))),
                    ': ',
                    str(environment.finalize(t_5(l_2_value))),
                ))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_18.append(
                        ' · ',
                    )
            l_2_loop = l_2_name = l_2_value = missing
            t_18.append(
                '</sub>',
            )
        return concat(t_18)
    context.exported_vars.add('security_item')
    context.vars['security_item'] = l_0_security_item = Macro(environment, macro, 'security_item', ('row',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_rd, l_1_rows, l_1_hidden, l_1_values, l_1_differ, l_1_access, l_1_anchor, l_1_open, l_1_security, l_1_findings):
        t_19 = []
        l_1_view = resolve('view')
        l_1_word = missing
        if l_1_rd is missing:
            l_1_rd = undefined("parameter 'rd' was not provided", name='rd')
        if l_1_rows is missing:
            l_1_rows = undefined("parameter 'rows' was not provided", name='rows')
        if l_1_hidden is missing:
            l_1_hidden = undefined("parameter 'hidden' was not provided", name='hidden')
        if l_1_values is missing:
            l_1_values = undefined("parameter 'values' was not provided", name='values')
        if l_1_differ is missing:
            l_1_differ = undefined("parameter 'differ' was not provided", name='differ')
        if l_1_access is missing:
            l_1_access = undefined("parameter 'access' was not provided", name='access')
        if l_1_anchor is missing:
            l_1_anchor = undefined("parameter 'anchor' was not provided", name='anchor')
        if l_1_open is missing:
            l_1_open = undefined("parameter 'open' was not provided", name='open')
        if l_1_security is missing:
            l_1_security = undefined("parameter 'security' was not provided", name='security')
        if l_1_findings is missing:
            l_1_findings = undefined("parameter 'findings' was not provided", name='findings')
        pass
        l_1_word = context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'resource_word'), l_1_rd)
        t_19.append(
            '<details',
        )
        if l_1_open:
            pass
            t_19.append(
                ' open',
            )
        t_19.extend((
            '>\n<summary>',
            str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), (undefined(name='word') if l_1_word is missing else l_1_word)))),
            ' <b>',
            str(environment.finalize(t_4(environment.getattr(l_1_rd, 'logical_id')))),
            '</b> ',
            str(environment.finalize(t_5(environment.getattr(l_1_rd, 'type')))),
            ' · ',
            str(environment.finalize((undefined(name='word') if l_1_word is missing else l_1_word))),
        ))
        if l_1_access:
            pass
            t_19.extend((
                ' · ',
                str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), l_1_access))),
                ' ',
                str(environment.finalize(l_1_access)),
            ))
        for l_2_id in t_9(environment, t_3(context, t_8(context, l_1_findings, 'severity', 'equalto', 'warning'), attribute='id')):
            _loop_vars = {}
            pass
            t_19.extend((
                ' · ',
                str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), 'warning'))),
                ' ',
                str(environment.finalize(t_5(l_2_id))),
            ))
        l_2_id = missing
        if environment.getattr(l_1_rd, 'old_type'):
            pass
            t_19.extend((
                ' (Type was ',
                str(environment.finalize(t_5(environment.getattr(l_1_rd, 'old_type')))),
                ')',
            ))
        if l_1_anchor:
            pass
            t_19.extend((
                '<a name="',
                str(environment.finalize(l_1_anchor)),
                '"></a>',
            ))
        t_19.append(
            '</summary>\n\n',
        )
        if environment.getattr(l_1_rd, 'construct_path'):
            pass
            t_19.extend((
                '<sub>CDK path ',
                str(environment.finalize(t_5(environment.getattr(l_1_rd, 'construct_path')))),
                '</sub>\n\n',
            ))
        for l_2_extra in context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'provenance'), l_1_rd):
            _loop_vars = {}
            pass
            t_19.extend((
                '<sub>',
                str(environment.finalize(t_4(l_2_extra))),
                '</sub>\n\n',
            ))
        l_2_extra = missing
        for l_2_why in context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'resource_reasons'), l_1_rd):
            _loop_vars = {}
            pass
            t_19.extend((
                '<sub>',
                str(environment.finalize(t_4(l_2_why))),
                '</sub>\n\n',
            ))
        l_2_why = missing
        if (environment.getattr(l_1_rd, 'action') == 'remove'):
            pass
            if environment.getattr(l_1_rd, 'goes_with'):
                pass
                t_19.extend((
                    'It goes with ',
                    str(environment.finalize(t_4(environment.getattr(l_1_rd, 'goes_with')))),
                    ', which the change deletes: its DeletionPolicy Retain keeps nothing.',
                ))
            elif environment.getattr(l_1_rd, 'retained'):
                pass
                t_19.append(
                    'Its DeletionPolicy Retain leaves it in the account, outside the stack: orphaned, not deleted.',
                )
            else:
                pass
                t_19.append(
                    'CloudFormation deletes it with the update, unless its DeletionPolicy keeps it.',
                )
            t_19.append(
                '\n',
            )
        if (((l_1_security or l_1_findings) or l_1_rows) or environment.getattr(l_1_rd, 'properties')):
            pass
            for l_2_row in l_1_security:
                _loop_vars = {}
                pass
                t_19.extend((
                    str(environment.finalize(context.call((undefined(name='security_item') if l_0_security_item is missing else l_0_security_item), l_2_row, _loop_vars=_loop_vars))),
                    '\n',
                ))
            l_2_row = missing
            for l_2_f in l_1_findings:
                _loop_vars = {}
                pass
                t_19.extend((
                    '- ',
                    str(environment.finalize(context.call((undefined(name='finding_item') if l_0_finding_item is missing else l_0_finding_item), l_2_f, False, _loop_vars=_loop_vars))),
                    '\n',
                ))
            l_2_f = missing
            if environment.getattr(l_1_rd, 'properties'):
                pass
                for (l_2_key, l_2_value) in context.call(environment.getattr(environment.getattr(l_1_rd, 'properties'), 'items')):
                    l_2_width = resolve('width')
                    _loop_vars = {}
                    pass
                    t_19.extend((
                        '- ➕ ',
                        str(environment.finalize(t_5(l_2_key))),
                        ': ',
                        str(environment.finalize(t_5(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'short_value'), l_2_value, (undefined(name='width') if l_2_width is missing else l_2_width), _loop_vars=_loop_vars)))),
                        '\n',
                    ))
                l_2_key = l_2_value = l_2_width = missing
            for l_2_c in l_1_rows:
                _loop_vars = {}
                pass
                t_19.extend((
                    str(environment.finalize(context.call((undefined(name='change_item') if l_0_change_item is missing else l_0_change_item), l_2_c, l_1_values, l_1_differ, _loop_vars=_loop_vars))),
                    '\n',
                ))
            l_2_c = missing
            t_19.append(
                '\n',
            )
        if l_1_hidden:
            pass
            t_19.extend((
                '<sub>',
                str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), l_1_hidden, 'no-interruption change'))),
                ' not shown.</sub>\n\n',
            ))
        t_19.append(
            '</details>\n',
        )
        return concat(t_19)
    context.exported_vars.add('resource')
    context.vars['resource'] = l_0_resource = Macro(environment, macro, 'resource', ('rd', 'rows', 'hidden', 'values', 'differ', 'access', 'anchor', 'open', 'security', 'findings'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_rd, l_1_access):
        t_20 = []
        l_1_view = resolve('view')
        l_1_word = missing
        if l_1_rd is missing:
            l_1_rd = undefined("parameter 'rd' was not provided", name='rd')
        if l_1_access is missing:
            l_1_access = undefined("parameter 'access' was not provided", name='access')
        pass
        l_1_word = context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'resource_word'), l_1_rd)
        t_20.extend((
            '- ',
            str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), (undefined(name='word') if l_1_word is missing else l_1_word)))),
            ' <b>',
            str(environment.finalize(t_4(environment.getattr(l_1_rd, 'logical_id')))),
            '</b> ',
            str(environment.finalize(t_5(environment.getattr(l_1_rd, 'type')))),
            ' · ',
            str(environment.finalize((undefined(name='word') if l_1_word is missing else l_1_word))),
        ))
        if l_1_access:
            pass
            t_20.extend((
                ' · ',
                str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'EMOJI'), l_1_access))),
                ' ',
                str(environment.finalize(l_1_access)),
            ))
        if environment.getattr(l_1_rd, 'changes'):
            pass
            t_20.extend((
                ' · ',
                str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), t_2(environment.getattr(l_1_rd, 'changes')), 'change'))),
            ))
        return concat(t_20)
    context.exported_vars.add('resource_line')
    context.vars['resource_line'] = l_0_resource_line = Macro(environment, macro, 'resource_line', ('rd', 'access'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_lines):
        t_21 = []
        if l_1_lines is missing:
            l_1_lines = undefined("parameter 'lines' was not provided", name='lines')
        pass
        t_21.append(
            '**Listed without detail, for size:**\n\n',
        )
        for l_2_line in l_1_lines:
            _loop_vars = {}
            pass
            t_21.extend((
                str(environment.finalize(l_2_line)),
                '\n',
            ))
        l_2_line = missing
        return concat(t_21)
    context.exported_vars.add('resource_lines')
    context.vars['resource_lines'] = l_0_resource_lines = Macro(environment, macro, 'resource_lines', ('lines',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_title, l_1_rds):
        t_22 = []
        if l_1_title is missing:
            l_1_title = undefined("parameter 'title' was not provided", name='title')
        if l_1_rds is missing:
            l_1_rds = undefined("parameter 'rds' was not provided", name='rds')
        pass
        t_22.extend((
            '<details>\n<summary>',
            str(environment.finalize(l_1_title)),
            '</summary>\n\n',
        ))
        for l_2_rd in l_1_rds:
            _loop_vars = {}
            pass
            t_22.extend((
                '- ',
                str(environment.finalize(t_5(environment.getattr(l_2_rd, 'logical_id')))),
                ' ',
                str(environment.finalize(t_5(environment.getattr(l_2_rd, 'type')))),
                ': ',
                str(environment.finalize(t_4(environment.getattr(l_2_rd, 'ignored')))),
                '\n',
            ))
        l_2_rd = missing
        t_22.append(
            '\n</details>\n',
        )
        return concat(t_22)
    context.exported_vars.add('group')
    context.vars['group'] = l_0_group = Macro(environment, macro, 'group', ('title', 'rds'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_title, l_1_rds):
        t_23 = []
        if l_1_title is missing:
            l_1_title = undefined("parameter 'title' was not provided", name='title')
        if l_1_rds is missing:
            l_1_rds = undefined("parameter 'rds' was not provided", name='rds')
        pass
        t_23.extend((
            '<details>\n<summary>',
            str(environment.finalize(l_1_title)),
            '</summary>\n\n',
        ))
        for l_2_rd in l_1_rds:
            l_2_view = resolve('view')
            _loop_vars = {}
            pass
            t_23.extend((
                '- ',
                str(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_2_view is missing else l_2_view), 'EMOJI'), context.call(environment.getattr((undefined(name='view') if l_2_view is missing else l_2_view), 'resource_word'), l_2_rd, _loop_vars=_loop_vars)))),
                ' <b>',
                str(environment.finalize(t_4(environment.getattr(l_2_rd, 'logical_id')))),
                '</b> ',
                str(environment.finalize(t_5(environment.getattr(l_2_rd, 'type')))),
            ))
            if (context.call(environment.getattr((undefined(name='view') if l_2_view is missing else l_2_view), 'resource_word'), l_2_rd, _loop_vars=_loop_vars) == 'imported'):
                pass
                t_23.append(
                    ' · imported',
                )
            if environment.getattr(l_2_rd, 'construct_path'):
                pass
                t_23.extend((
                    ' <sub>CDK path ',
                    str(environment.finalize(t_5(environment.getattr(l_2_rd, 'construct_path')))),
                    '</sub>',
                ))
            if (not environment.getattr(l_2_rd, 'properties')):
                pass
                t_23.extend((
                    ': ',
                    str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_2_view is missing else l_2_view), 'properties_word'), l_2_rd, _loop_vars=_loop_vars))),
                ))
            t_23.append(
                '\n',
            )
            for (l_3_key, l_3_value) in context.call(environment.getattr((environment.getattr(l_2_rd, 'properties') or {}), 'items'), _loop_vars=_loop_vars):
                l_3_width = resolve('width')
                _loop_vars = {}
                pass
                t_23.extend((
                    '  - ',
                    str(environment.finalize(t_5(l_3_key))),
                    ': ',
                    str(environment.finalize(t_5(context.call(environment.getattr((undefined(name='view') if l_2_view is missing else l_2_view), 'short_value'), l_3_value, (undefined(name='width') if l_3_width is missing else l_3_width), _loop_vars=_loop_vars)))),
                    '\n',
                ))
            l_3_key = l_3_value = l_3_width = missing
        l_2_rd = l_2_view = missing
        t_23.append(
            '\n</details>\n',
        )
        return concat(t_23)
    context.exported_vars.add('added_group')
    context.vars['added_group'] = l_0_added_group = Macro(environment, macro, 'added_group', ('title', 'rds'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_resources, l_1_changes):
        t_24 = []
        l_1_view = resolve('view')
        if l_1_resources is missing:
            l_1_resources = undefined("parameter 'resources' was not provided", name='resources')
        if l_1_changes is missing:
            l_1_changes = undefined("parameter 'changes' was not provided", name='changes')
        pass
        t_24.extend((
            '<sub>Per-resource detail left out for size: ',
            str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), l_1_resources, 'resource'))),
            ', ',
            str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), l_1_changes, 'change'))),
            '.</sub>\n',
        ))
        return concat(t_24)
    context.exported_vars.add('detail_dropped')
    context.vars['detail_dropped'] = l_0_detail_dropped = Macro(environment, macro, 'detail_dropped', ('resources', 'changes'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_notes, l_1_left):
        t_25 = []
        l_1_view = resolve('view')
        if l_1_notes is missing:
            l_1_notes = undefined("parameter 'notes' was not provided", name='notes')
        if l_1_left is missing:
            l_1_left = undefined("parameter 'left' was not provided", name='left')
        pass
        t_25.append(
            "**Sources differ**: the AWS docs and the registry schema say different things about updating these properties; impact's rules settle the label each change shows, and its row names the note.\n\n",
        )
        for l_2_note in l_1_notes:
            _loop_vars = {}
            pass
            t_25.extend((
                str(environment.finalize(environment.getattr(l_2_note, 'number'))),
                '. ',
                str(environment.finalize(t_5(environment.getattr(l_2_note, 'type')))),
            ))
            for l_3_path in environment.getattr(l_2_note, 'paths'):
                _loop_vars = {}
                pass
                t_25.extend((
                    ' ',
                    str(environment.finalize(t_5(l_3_path))),
                ))
            l_3_path = missing
            t_25.extend((
                ': ',
                str(environment.finalize(t_4(environment.getattr(l_2_note, 'text')))),
                ' (',
                str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), environment.getattr(l_2_note, 'changes'), 'change', _loop_vars=_loop_vars))),
                ')\n',
            ))
        l_2_note = missing
        if l_1_left:
            pass
            t_25.extend((
                '\n… and ',
                str(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_1_view is missing else l_1_view), 'plural'), l_1_left, 'more note'))),
                ', left out for size.\n',
            ))
        return concat(t_25)
    context.exported_vars.add('sources_differ')
    context.vars['sources_differ'] = l_0_sources_differ = Macro(environment, macro, 'sources_differ', ('notes', 'left'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_kinds):
        t_26 = []
        if l_1_kinds is missing:
            l_1_kinds = undefined("parameter 'kinds' was not provided", name='kinds')
        pass
        t_26.append(
            '<details>\n<summary>What the findings mean</summary>\n\n',
        )
        for (l_2_id, l_2_help) in l_1_kinds:
            _loop_vars = {}
            pass
            t_26.extend((
                '- ',
                str(environment.finalize(t_7(l_2_id))),
                ': ',
                str(environment.finalize(t_4(l_2_help))),
                '\n',
            ))
        l_2_id = l_2_help = missing
        t_26.append(
            '\n</details>\n',
        )
        return concat(t_26)
    context.exported_vars.add('explained')
    context.vars['explained'] = l_0_explained = Macro(environment, macro, 'explained', ('kinds',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro():
        t_27 = []
        pass
        t_27.append(
            '</details>\n',
        )
        return concat(t_27)
    context.exported_vars.add('stack_close')
    context.vars['stack_close'] = l_0_stack_close = Macro(environment, macro, 'stack_close', (), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '11=66&12=76&13=81&15=86&17=98&18=101&19=106&26=121&27=135&31=152&32=155&34=159&36=164&37=169&40=174&41=178&45=185&47=198&48=202&50=209&52=212&53=217&59=228&60=239&61=246&63=252&64=257&67=262&69=268&72=273&76=281&77=290&80=311&81=316&82=321&86=329&89=339&90=345&91=349&96=371&97=385&98=388&99=401&100=403&101=413&104=415&107=426&108=433&109=434&110=437&113=472&114=497&115=501&116=508&118=551&119=555&122=558&123=563&126=567&127=572&130=576&131=578&134=598&135=600&136=604&138=608&139=613&141=617&142=619&143=625&146=631&147=635&151=642&152=646&158=656&159=665&160=668&162=694&165=702&166=706&170=714&172=723&174=726&175=731&181=746&183=755&185=758&186=764&188=791&189=797&196=811&197=821&200=830&203=841&204=845&206=865&208=869&212=876&216=884&217=889&223=902'
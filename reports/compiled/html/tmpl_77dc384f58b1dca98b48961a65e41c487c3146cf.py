from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'review.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_csp = resolve('csp')
    l_0_view = resolve('view')
    l_0_report = resolve('report')
    l_0_css = resolve('css')
    l_0_verdict = resolve('verdict')
    l_0_rules = resolve('rules')
    l_0_version = resolve('version')
    l_0_columns = resolve('columns')
    l_0_stacks = resolve('stacks')
    l_0_decisions = resolve('decisions')
    l_0_decided = resolve('decided')
    l_0_all_resources = resolve('all_resources')
    l_0_many = resolve('many')
    l_0_notes = resolve('notes')
    l_0_chips = resolve('chips')
    l_0_kinds = resolve('kinds')
    l_0_js = resolve('js')
    l_0_values = l_0_finding = l_0_key_badge = l_0_decision = missing
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.filters['lower']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'lower' found.")
    try:
        t_3 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    try:
        t_4 = environment.filters['slashes']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'slashes' found.")
    pass
    def macro(l_1_before, l_1_after):
        t_5 = []
        l_1_parts = missing
        if l_1_before is missing:
            l_1_before = undefined("parameter 'before' was not provided", name='before')
        if l_1_after is missing:
            l_1_after = undefined("parameter 'after' was not provided", name='after')
        pass
        l_1_parts = context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'split_values'), l_1_before, l_1_after)
        t_5.append(
            '<td class="v">',
        )
        if context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'absent'), l_1_before):
            pass
            t_5.extend((
                '<span class="none">',
                escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'absent'), l_1_before))),
                '</span>',
            ))
        else:
            pass
            t_5.extend((
                '<pre>',
                escape(environment.finalize(environment.getitem(environment.getitem((undefined(name='parts') if l_1_parts is missing else l_1_parts), 0), 0))),
                '<del>',
                escape(environment.finalize(environment.getitem(environment.getitem((undefined(name='parts') if l_1_parts is missing else l_1_parts), 0), 1))),
                '</del>',
                escape(environment.finalize(environment.getitem(environment.getitem((undefined(name='parts') if l_1_parts is missing else l_1_parts), 0), 2))),
                '</pre>',
            ))
        t_5.append(
            '</td><td class="v">',
        )
        if context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'absent'), l_1_after):
            pass
            t_5.extend((
                '<span class="none">',
                escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'absent'), l_1_after))),
                '</span>',
            ))
        else:
            pass
            t_5.extend((
                '<pre>',
                escape(environment.finalize(environment.getitem(environment.getitem((undefined(name='parts') if l_1_parts is missing else l_1_parts), 1), 0))),
                '<ins>',
                escape(environment.finalize(environment.getitem(environment.getitem((undefined(name='parts') if l_1_parts is missing else l_1_parts), 1), 1))),
                '</ins>',
                escape(environment.finalize(environment.getitem(environment.getitem((undefined(name='parts') if l_1_parts is missing else l_1_parts), 1), 2))),
                '</pre>',
            ))
        t_5.append(
            '</td>',
        )
        return concat(t_5)
    context.exported_vars.add('values')
    context.vars['values'] = l_0_values = Macro(environment, macro, 'values', ('before', 'after'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_f, l_1_with_id):
        t_6 = []
        if l_1_f is missing:
            l_1_f = undefined("parameter 'f' was not provided", name='f')
        if l_1_with_id is missing:
            l_1_with_id = undefined("parameter 'with_id' was not provided", name='with_id')
        pass
        t_6.extend((
            '<span class="sev ',
            escape(environment.finalize(environment.getattr(l_1_f, 'severity'))),
            '">',
            escape(environment.finalize(environment.getattr(l_1_f, 'severity'))),
            '</span> <code title="',
            escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'finding_help'), environment.getattr(l_1_f, 'id')))),
            '">',
            escape(environment.finalize(environment.getattr(l_1_f, 'id'))),
            '</code>',
        ))
        if (l_1_with_id and environment.getattr(l_1_f, 'logical_id')):
            pass
            t_6.extend((
                ' <b>',
                escape(environment.finalize(environment.getattr(l_1_f, 'logical_id'))),
                '</b>',
                escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'after_subject'), l_1_f))),
            ))
        else:
            pass
            t_6.extend((
                ': ',
                escape(environment.finalize(environment.getattr(l_1_f, 'message'))),
            ))
        return concat(t_6)
    context.exported_vars.add('finding')
    context.vars['finding'] = l_0_finding = Macro(environment, macro, 'finding', ('f', 'with_id'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_k):
        t_7 = []
        if l_1_k is missing:
            l_1_k = undefined("parameter 'k' was not provided", name='k')
        pass
        if (l_1_k in ('public', 'admin', 'opens', 'unprotected', 'moves', 'closes')):
            pass
            t_7.extend((
                '<span class="sec sec-',
                escape(environment.finalize(l_1_k)),
                '">',
                escape(environment.finalize(l_1_k)),
                '</span>',
            ))
        elif (l_1_k == 'error'):
            pass
            t_7.append(
                '<span class="sec sec-public">error</span>',
            )
        else:
            pass
            t_7.extend((
                '<span class="label l-',
                escape(environment.finalize(l_1_k)),
                '">',
                escape(environment.finalize(l_1_k)),
                '</span>',
            ))
        return concat(t_7)
    context.exported_vars.add('key_badge')
    context.vars['key_badge'] = l_0_key_badge = Macro(environment, macro, 'key_badge', ('k',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_stack, l_1_d):
        t_8 = []
        l_1_rd = resolve('rd')
        l_1_anchor = resolve('anchor')
        l_1_why = resolve('why')
        l_1_f = resolve('f')
        if l_1_stack is missing:
            l_1_stack = undefined("parameter 'stack' was not provided", name='stack')
        if l_1_d is missing:
            l_1_d = undefined("parameter 'd' was not provided", name='d')
        pass
        for l_2_k in environment.getattr(l_1_d, 'keys'):
            _loop_vars = {}
            pass
            t_8.extend((
                escape(environment.finalize(context.call((undefined(name='key_badge') if l_0_key_badge is missing else l_0_key_badge), l_2_k, _loop_vars=_loop_vars))),
                ' ',
            ))
        l_2_k = missing
        if environment.getattr(l_1_d, 'listed'):
            pass
            l_1_rd = environment.getattr(environment.getattr(l_1_d, 'listed'), 'rd')
            t_8.extend((
                '<a href="#',
                escape(environment.finalize(context.call((undefined(name='anchor') if l_1_anchor is missing else l_1_anchor), l_1_stack, environment.getattr((undefined(name='rd') if l_1_rd is missing else l_1_rd), 'logical_id')))),
                '" class="jump">',
                escape(environment.finalize(environment.getattr((undefined(name='rd') if l_1_rd is missing else l_1_rd), 'logical_id'))),
                '</a>',
            ))
            l_1_why = ([context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'removal_brief'), (undefined(name='rd') if l_1_rd is missing else l_1_rd))] if (environment.getattr((undefined(name='rd') if l_1_rd is missing else l_1_rd), 'action') == 'remove') else [])
            t_8.append(
                ' <span class="why">',
            )
            if (undefined(name='why') if l_1_why is missing else l_1_why):
                pass
                t_8.extend((
                    ' — ',
                    escape(environment.finalize(environment.getitem((undefined(name='why') if l_1_why is missing else l_1_why), 0))),
                ))
            l_2_loop = missing
            for l_2_c, l_2_loop in LoopContext(environment.getattr(l_1_d, 'changes')[:2], undefined):
                l_2_pair = missing
                _loop_vars = {}
                pass
                t_8.extend((
                    escape(environment.finalize((' — ' if (environment.getattr(l_2_loop, 'first') and (not (undefined(name='why') if l_1_why is missing else l_1_why))) else '; '))),
                    '<code>',
                    escape(environment.finalize((t_4(environment.getattr(l_2_c, 'path')) if environment.getattr(l_2_c, 'path') else '(whole resource)'))),
                    '</code>',
                ))
                l_2_pair = context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'value_pair'), environment.getattr(l_2_c, 'before'), environment.getattr(l_2_c, 'after'), 40, _loop_vars=_loop_vars)
                _loop_vars['pair'] = l_2_pair
                if (context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'values_line'), environment.getattr(l_2_c, 'before'), environment.getattr(l_2_c, 'after'), _loop_vars=_loop_vars) == environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'UNSTATED_BOTH')):
                    pass
                    t_8.extend((
                        ': ',
                        escape(environment.finalize(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'UNSTATED_BOTH'))),
                    ))
                elif (((not context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'is_block'), environment.getattr(l_2_c, 'before'), environment.getattr(l_2_c, 'after'), _loop_vars=_loop_vars)) and (t_1(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 0)) <= 80)) and (t_1(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 1)) <= 80)):
                    pass
                    t_8.extend((
                        ': <code>',
                        escape(environment.finalize(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 0))),
                        '</code> → <code>',
                        escape(environment.finalize(environment.getitem((undefined(name='pair') if l_2_pair is missing else l_2_pair), 1))),
                        '</code>',
                    ))
            l_2_loop = l_2_c = l_2_pair = missing
            if (t_1(environment.getattr(l_1_d, 'changes')) > 2):
                pass
                t_8.extend((
                    '; ',
                    escape(environment.finalize(context.call(environment.getattr('{:,}', 'format'), (t_1(environment.getattr(l_1_d, 'changes')) - 2)))),
                    ' more',
                ))
            l_2_loop = missing
            for l_2_c, l_2_loop in LoopContext(environment.getattr(l_1_d, 'causes'), undefined):
                _loop_vars = {}
                pass
                t_8.extend((
                    escape(environment.finalize((' — ' if (environment.getattr(l_2_loop, 'first') and (not ((undefined(name='why') if l_1_why is missing else l_1_why) or environment.getattr(l_1_d, 'changes')))) else '; '))),
                    'because ',
                    escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'because'), l_2_c, _loop_vars=_loop_vars))),
                ))
            l_2_loop = l_2_c = missing
            l_2_loop = missing
            for l_2_row, l_2_loop in LoopContext(environment.getattr(l_1_d, 'rows'), undefined):
                _loop_vars = {}
                pass
                t_8.extend((
                    escape(environment.finalize((' — ' if (environment.getattr(l_2_loop, 'first') and (not (((undefined(name='why') if l_1_why is missing else l_1_why) or environment.getattr(l_1_d, 'changes')) or environment.getattr(l_1_d, 'causes')))) else '; '))),
                    escape(environment.finalize(environment.getattr(l_2_row, 'summary'))),
                ))
            l_2_loop = l_2_row = missing
            l_2_loop = missing
            for l_2_f, l_2_loop in LoopContext(environment.getattr(l_1_d, 'findings'), undefined):
                _loop_vars = {}
                pass
                t_8.extend((
                    escape(environment.finalize((' — ' if (environment.getattr(l_2_loop, 'first') and (not ((((undefined(name='why') if l_1_why is missing else l_1_why) or environment.getattr(l_1_d, 'changes')) or environment.getattr(l_1_d, 'causes')) or environment.getattr(l_1_d, 'rows')))) else '; '))),
                    '<code>',
                    escape(environment.finalize(environment.getattr(l_2_f, 'id'))),
                    '</code>: ',
                    escape(environment.finalize(environment.getattr(l_2_f, 'message'))),
                ))
            l_2_loop = l_2_f = missing
            t_8.append(
                '</span>',
            )
        else:
            pass
            l_1_f = environment.getitem(environment.getattr(l_1_d, 'findings'), 0)
            if environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'logical_id'):
                pass
                t_8.extend((
                    '<b>',
                    escape(environment.finalize(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'logical_id'))),
                    '</b> ',
                ))
            t_8.extend((
                '<code>',
                escape(environment.finalize(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'id'))),
                '</code> <span class="why">— ',
                escape(environment.finalize(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'message'))),
                '</span>',
            ))
        return concat(t_8)
    context.exported_vars.add('decision')
    context.vars['decision'] = l_0_decision = Macro(environment, macro, 'decision', ('stack', 'd'), False, False, False, context.eval_ctx.autoescape)
    yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="'
    yield escape(environment.finalize(t_3((undefined(name='csp') if l_0_csp is missing else l_0_csp))))
    yield '">\n<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict_mark'), environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'stacks'))))
    yield ' impact review: '
    yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict'), environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'stacks'))))
    yield '</title>\n<style>'
    yield escape(environment.finalize(t_3((undefined(name='css') if l_0_css is missing else l_0_css))))
    yield '</style>\n</head>\n<body>\n<header class="top">\n<h1><span class="dot v-'
    yield escape(environment.finalize((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict)))
    yield '" title="'
    yield escape(environment.finalize((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict)))
    yield '"></span>impact review</h1>\n<p class="verdict"><span class="mark">'
    yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict_mark'), environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'stacks'))))
    yield '</span> '
    yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict'), environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'stacks'))))
    yield '</p>\n<p class="meta">'
    yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), t_1(environment.getattr((undefined(name='report') if l_0_report is missing else l_0_report), 'stacks')), 'stack')))
    if (undefined(name='rules') if l_0_rules is missing else l_0_rules):
        pass
        yield " · labels from impact's rules table: "
        yield escape(environment.finalize((undefined(name='rules') if l_0_rules is missing else l_0_rules)))
    yield ' · impact '
    yield escape(environment.finalize((undefined(name='version') if l_0_version is missing else l_0_version)))
    yield '</p>\n</header>\n\n'
    if (undefined(name='columns') if l_0_columns is missing else l_0_columns):
        pass
        yield '<section class="summary" aria-label="Summary">\n<div class="scroll">\n<table>\n<caption>'
        yield escape(environment.finalize(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'SUMMARY_CAPTION')))
        yield '</caption>\n<thead><tr><th>stack</th>'
        for l_1_c in (undefined(name='columns') if l_0_columns is missing else l_0_columns):
            _loop_vars = {}
            pass
            yield '<th class="num">'
            if (l_1_c == 'changes'):
                pass
                yield 'changes'
            else:
                pass
                yield '<span class="label l-'
                yield escape(environment.finalize(l_1_c))
                yield '">'
                yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'column_title'), l_1_c, _loop_vars=_loop_vars)))
                yield '</span>'
            yield '</th>'
        l_1_c = missing
        yield '</tr></thead>\n<tbody>\n'
        l_1_loop = missing
        for l_1_stack, l_1_loop in LoopContext((undefined(name='stacks') if l_0_stacks is missing else l_0_stacks), undefined):
            _loop_vars = {}
            pass
            yield '<tr><td class="mono"><span class="mark">'
            yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict_mark'), [l_1_stack], _loop_vars=_loop_vars)))
            yield '</span> '
            yield escape(environment.finalize(t_4(environment.getattr(l_1_stack, 'name'))))
            yield '</td>'
            l_2_loop = missing
            for l_2_n, l_2_loop in LoopContext(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'summary_row'), l_1_stack, (undefined(name='columns') if l_0_columns is missing else l_0_columns), _loop_vars=_loop_vars), undefined):
                l_2_c = missing
                _loop_vars = {}
                pass
                l_2_c = environment.getitem((undefined(name='columns') if l_0_columns is missing else l_0_columns), environment.getattr(l_2_loop, 'index0'))
                _loop_vars['c'] = l_2_c
                yield '<td class="num">'
                if l_2_n:
                    pass
                    yield '<span class="cell-title">'
                    if ((undefined(name='c') if l_2_c is missing else l_2_c) == 'changes'):
                        pass
                        yield 'changes'
                    else:
                        pass
                        yield '<span class="label l-'
                        yield escape(environment.finalize((undefined(name='c') if l_2_c is missing else l_2_c)))
                        yield '">'
                        yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'column_title'), (undefined(name='c') if l_2_c is missing else l_2_c), _loop_vars=_loop_vars)))
                        yield '</span>'
                    yield ' </span>'
                    yield escape(environment.finalize(l_2_n))
                yield '</td>'
            l_2_loop = l_2_n = l_2_c = missing
            yield '</tr>\n'
        l_1_loop = l_1_stack = missing
        yield '</tbody>\n</table>\n</div>\n</section>\n'
    yield '\n'
    if (undefined(name='decisions') if l_0_decisions is missing else l_0_decisions):
        pass
        yield '<section class="decide" aria-label="Needs a decision">\n<h2><span class="mark">⛔</span> Needs a decision: '
        yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), (undefined(name='decided') if l_0_decided is missing else l_0_decided), ('resource' if (undefined(name='all_resources') if l_0_all_resources is missing else l_0_all_resources) else 'item'))))
        if ((undefined(name='many') if l_0_many is missing else l_0_many) and (t_1((undefined(name='decisions') if l_0_decisions is missing else l_0_decisions)) > 1)):
            pass
            yield ' <span class="muted">in '
            yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), t_1((undefined(name='decisions') if l_0_decisions is missing else l_0_decisions)), 'stack')))
            yield '</span>'
        yield '</h2>\n'
        for (l_1_stack, l_1_items) in (undefined(name='decisions') if l_0_decisions is missing else l_0_decisions):
            _loop_vars = {}
            pass
            if (undefined(name='many') if l_0_many is missing else l_0_many):
                pass
                yield '<h3><span class="mark">'
                yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict_mark'), [l_1_stack], _loop_vars=_loop_vars)))
                yield '</span> '
                yield escape(environment.finalize(t_4(environment.getattr(l_1_stack, 'name'))))
                yield '</h3>'
            yield '<ul>\n'
            for l_2_d in l_1_items:
                _loop_vars = {}
                pass
                yield '<li>'
                yield escape(environment.finalize(context.call((undefined(name='decision') if l_0_decision is missing else l_0_decision), l_1_stack, l_2_d, _loop_vars=_loop_vars)))
                yield '</li>\n'
            l_2_d = missing
            yield '</ul>\n'
        l_1_stack = l_1_items = missing
        yield '</section>\n'
    yield '\n'
    if (undefined(name='notes') if l_0_notes is missing else l_0_notes):
        pass
        yield '<section class="differ" aria-label="Sources differ">\n<details>\n<summary><h2>Sources differ</h2> <span class="muted">'
        yield escape(environment.finalize(t_1((undefined(name='notes') if l_0_notes is missing else l_0_notes))))
        yield '</span></summary>\n<p class="muted">The AWS docs and the registry schema say different things about updating these properties; impact\'s rules settle the label each change shows. Each disagreement is told once here, and the changes it decides link to it.</p>\n<ol>\n'
        for l_1_note in (undefined(name='notes') if l_0_notes is missing else l_0_notes):
            _loop_vars = {}
            pass
            yield '<li id="differ-'
            yield escape(environment.finalize(environment.getattr(l_1_note, 'number')))
            yield '"><code class="type">'
            yield escape(environment.finalize(environment.getattr(l_1_note, 'type')))
            yield '</code>'
            for l_2_path in environment.getattr(l_1_note, 'paths'):
                _loop_vars = {}
                pass
                yield ' <code>'
                yield escape(environment.finalize(t_4(l_2_path)))
                yield '</code>'
            l_2_path = missing
            yield ': '
            yield escape(environment.finalize(environment.getattr(l_1_note, 'text')))
            yield ' <span class="muted">('
            yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), environment.getattr(l_1_note, 'changes'), 'change', _loop_vars=_loop_vars)))
            yield ')</span></li>\n'
        l_1_note = missing
        yield '</ol>\n</details>\n</section>\n'
    yield '\n<nav class="toolbar" aria-label="Filters">\n<div class="chips" role="group" aria-label="Show resources with a change of these labels">\n<span class="muted">Resources with:</span>\n'
    for (l_1_key, l_1_n) in (undefined(name='chips') if l_0_chips is missing else l_0_chips):
        _loop_vars = {}
        pass
        yield '<label class="chip" title="'
        yield escape(environment.finalize(l_1_n))
        yield ' '
        yield escape(environment.finalize(('resource' if (l_1_n == 1) else 'resources')))
        yield '"><input type="checkbox" value="'
        yield escape(environment.finalize(l_1_key))
        yield '" checked><span class="label l-'
        yield escape(environment.finalize(l_1_key))
        yield '">'
        yield escape(environment.finalize(l_1_key))
        yield '</span> <span class="n">'
        yield escape(environment.finalize(l_1_n))
        yield '</span></label>\n'
    l_1_key = l_1_n = missing
    yield '</div>\n<div class="tools">\n'
    if (undefined(name='many') if l_0_many is missing else l_0_many):
        pass
        yield '<select id="stack" aria-label="Stack"><option value="">all stacks</option>'
        l_1_loop = missing
        for l_1_stack, l_1_loop in LoopContext((undefined(name='stacks') if l_0_stacks is missing else l_0_stacks), undefined):
            _loop_vars = {}
            pass
            yield '<option value="'
            yield escape(environment.finalize(environment.getattr(l_1_loop, 'index0')))
            yield '">'
            yield escape(environment.finalize(environment.getattr(l_1_stack, 'name')))
            yield '</option>'
        l_1_loop = l_1_stack = missing
        yield '</select>\n'
    yield '<input type="search" id="q" placeholder="Search logical ID, type or path  ( / )" aria-label="Search logical ID, type or path" autocomplete="off" spellcheck="false">\n<button type="button" id="expand">Expand all</button>\n<button type="button" id="collapse">Collapse all</button>\n<span id="status" class="muted" aria-live="polite"></span>\n</div>\n</nav>\n\n<main>\n'
    l_1_loop = missing
    for l_1_stack, l_1_loop in LoopContext((undefined(name='stacks') if l_0_stacks is missing else l_0_stacks), undefined):
        l_1_views = resolve('views')
        l_1_s = l_1_access = l_1_sv = missing
        _loop_vars = {}
        pass
        l_1_s = environment.getattr(l_1_loop, 'index0')
        _loop_vars['s'] = l_1_s
        l_1_access = context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'access_marks'), l_1_stack, _loop_vars=_loop_vars)
        _loop_vars['access'] = l_1_access
        yield '<section class="stack" data-s="'
        yield escape(environment.finalize((undefined(name='s') if l_1_s is missing else l_1_s)))
        yield '">\n<h2><span class="mark">'
        yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict_mark'), [l_1_stack], _loop_vars=_loop_vars)))
        yield '</span> '
        yield escape(environment.finalize(t_4(environment.getattr(l_1_stack, 'name'))))
        yield '</h2>\n<p class="meta"><span class="mono">'
        yield escape(environment.finalize((t_4(environment.getattr(l_1_stack, 'old')) if environment.getattr(l_1_stack, 'old') else '(none)')))
        yield '</span> → <span class="mono">'
        yield escape(environment.finalize((t_4(environment.getattr(l_1_stack, 'new')) if environment.getattr(l_1_stack, 'new') else '(none)')))
        yield '</span> · '
        yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'verdict'), [l_1_stack], _loop_vars=_loop_vars)))
        yield '</p>\n'
        for l_2_warning in environment.getattr(l_1_stack, 'warnings'):
            _loop_vars = {}
            pass
            yield '<p class="note warning"><span class="sev">warning</span> <span class="mono">'
            yield escape(environment.finalize(t_4(environment.getattr(l_2_warning, 'file'))))
            yield ':'
            yield escape(environment.finalize(environment.getattr(l_2_warning, 'line')))
            yield ':'
            yield escape(environment.finalize(environment.getattr(l_2_warning, 'column')))
            yield '</span>: '
            yield escape(environment.finalize(environment.getattr(l_2_warning, 'message')))
            yield '</p>\n'
        l_2_warning = missing
        for l_2_note in environment.getattr(l_1_stack, 'notes'):
            _loop_vars = {}
            pass
            yield '<p class="note">'
            yield escape(environment.finalize(l_2_note))
            yield '</p>\n'
        l_2_note = missing
        if ((not environment.getattr(l_1_stack, 'resources')) and (not environment.getattr(l_1_stack, 'sections'))):
            pass
            yield '<p class="muted">No changes: the templates are the same to CloudFormation.</p>\n'
        l_1_sv = environment.getitem((undefined(name='views') if l_1_views is missing else l_1_views), (undefined(name='s') if l_1_s is missing else l_1_s))
        _loop_vars['sv'] = l_1_sv
        if environment.getattr((undefined(name='sv') if l_1_sv is missing else l_1_sv), 'findings'):
            pass
            yield '<ul class="notes">\n'
            for l_2_f in environment.getattr((undefined(name='sv') if l_1_sv is missing else l_1_sv), 'findings'):
                _loop_vars = {}
                pass
                yield '<li>'
                yield escape(environment.finalize(context.call((undefined(name='finding') if l_0_finding is missing else l_0_finding), l_2_f, True, _loop_vars=_loop_vars)))
                yield '</li>\n'
            l_2_f = missing
            yield '</ul>\n'
        if environment.getattr(l_1_stack, 'sections'):
            pass
            yield '<details class="sections"'
            if (t_1(environment.getattr(l_1_stack, 'sections')) <= 5):
                pass
                yield ' open'
            yield '>\n<summary>Changes outside Resources <span class="muted">'
            yield escape(environment.finalize(t_1(environment.getattr(l_1_stack, 'sections'))))
            yield '</span></summary>\n<table class="changes">\n<thead><tr><th>section</th><th>path</th><th>before</th><th>after</th></tr></thead>\n<tbody>\n'
            for l_2_sc in environment.getattr(l_1_stack, 'sections'):
                _loop_vars = {}
                pass
                yield '<tr><td>'
                yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'section_title'), l_2_sc, _loop_vars=_loop_vars)))
                yield ' <span class="muted">'
                yield escape(environment.finalize(environment.getattr(l_2_sc, 'kind')))
                yield '</span></td><td class="path"><code>'
                yield escape(environment.finalize(t_4(environment.getattr(l_2_sc, 'path'))))
                yield '</code></td>'
                yield escape(environment.finalize(context.call((undefined(name='values') if l_0_values is missing else l_0_values), environment.getattr(l_2_sc, 'before'), environment.getattr(l_2_sc, 'after'), _loop_vars=_loop_vars)))
                yield '</tr>\n'
            l_2_sc = missing
            yield '</tbody>\n</table>\n</details>\n'
        for l_2_rd in context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'sorted_resources'), l_1_stack, _loop_vars=_loop_vars):
            l_2_anchor = resolve('anchor')
            l_2_keys = resolve('keys')
            l_2_search = resolve('search')
            l_2_word = l_2_item = missing
            _loop_vars = {}
            pass
            l_2_word = context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'resource_word'), l_2_rd, _loop_vars=_loop_vars)
            _loop_vars['word'] = l_2_word
            l_2_item = context.call(environment.getattr(environment.getattr((undefined(name='sv') if l_1_sv is missing else l_1_sv), 'by_id'), 'get'), environment.getattr(l_2_rd, 'logical_id'), _loop_vars=_loop_vars)
            _loop_vars['item'] = l_2_item
            yield '<details class="res" id="'
            yield escape(environment.finalize(context.call((undefined(name='anchor') if l_2_anchor is missing else l_2_anchor), l_1_stack, environment.getattr(l_2_rd, 'logical_id'), _loop_vars=_loop_vars)))
            yield '" data-s="'
            yield escape(environment.finalize((undefined(name='s') if l_1_s is missing else l_1_s)))
            yield '" data-l="'
            yield escape(environment.finalize(context.call((undefined(name='keys') if l_2_keys is missing else l_2_keys), l_2_rd, _loop_vars=_loop_vars)))
            yield '" data-q="'
            yield escape(environment.finalize(context.call((undefined(name='search') if l_2_search is missing else l_2_search), l_2_rd, _loop_vars=_loop_vars)))
            yield '"'
            if ((undefined(name='item') if l_2_item is missing else l_2_item) and environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'decide')):
                pass
                yield ' open'
            yield '>\n<summary><span class="label l-'
            yield escape(environment.finalize(('ignored' if environment.getattr(l_2_rd, 'ignored') else (undefined(name='word') if l_2_word is missing else l_2_word))))
            yield '">'
            yield escape(environment.finalize(('ignored' if environment.getattr(l_2_rd, 'ignored') else (undefined(name='word') if l_2_word is missing else l_2_word))))
            yield '</span>'
            if context.call(environment.getattr((undefined(name='access') if l_1_access is missing else l_1_access), 'get'), environment.getattr(l_2_rd, 'logical_id'), _loop_vars=_loop_vars):
                pass
                yield ' <span class="sec sec-'
                yield escape(environment.finalize(environment.getitem((undefined(name='access') if l_1_access is missing else l_1_access), environment.getattr(l_2_rd, 'logical_id'))))
                yield '">'
                yield escape(environment.finalize(environment.getitem((undefined(name='access') if l_1_access is missing else l_1_access), environment.getattr(l_2_rd, 'logical_id'))))
                yield '</span>'
            yield ' <b class="id">'
            yield escape(environment.finalize(environment.getattr(l_2_rd, 'logical_id')))
            yield '</b> <code class="type">'
            yield escape(environment.finalize(environment.getattr(l_2_rd, 'type')))
            yield '</code>'
            if environment.getattr(l_2_rd, 'old_type'):
                pass
                yield ' <span class="muted">(Type was <code>'
                yield escape(environment.finalize(environment.getattr(l_2_rd, 'old_type')))
                yield '</code>)</span>'
            if environment.getattr(l_2_rd, 'construct_path'):
                pass
                yield ' <span class="cdk">'
                yield escape(environment.finalize(t_4(environment.getattr(l_2_rd, 'construct_path'))))
                yield '</span>'
            for l_3_extra in context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'provenance'), l_2_rd, _loop_vars=_loop_vars):
                _loop_vars = {}
                pass
                yield ' <span class="cdk">'
                yield escape(environment.finalize(l_3_extra))
                yield '</span>'
            l_3_extra = missing
            if environment.getattr(l_2_rd, 'changes'):
                pass
                yield ' <span class="count">'
                yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), t_1(environment.getattr(l_2_rd, 'changes')), 'change', _loop_vars=_loop_vars)))
                yield '</span>'
            elif environment.getattr(l_2_rd, 'properties'):
                pass
                yield ' <span class="count">'
                yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), t_1(environment.getattr(l_2_rd, 'properties')), 'property', 'properties', _loop_vars=_loop_vars)))
                yield '</span>'
            yield '</summary>\n'
            if environment.getattr(l_2_rd, 'ignored'):
                pass
                yield '<p class="why">ignored: '
                yield escape(environment.finalize(environment.getattr(l_2_rd, 'ignored')))
                yield '</p>\n'
            if ((undefined(name='item') if l_2_item is missing else l_2_item) and ((environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'rows') or environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'findings')) or environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'errors'))):
                pass
                yield '<ul class="notes">\n'
                for l_3_row in environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'rows'):
                    l_3_key = missing
                    _loop_vars = {}
                    pass
                    l_3_key = context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'security_key'), l_3_row, _loop_vars=_loop_vars)
                    _loop_vars['key'] = l_3_key
                    yield '<li><span class="sec sec-'
                    yield escape(environment.finalize((undefined(name='key') if l_3_key is missing else l_3_key)))
                    yield '">'
                    yield escape(environment.finalize((undefined(name='key') if l_3_key is missing else l_3_key)))
                    yield '</span> '
                    yield escape(environment.finalize(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'FAMILY_WORDS'), environment.getattr(l_3_row, 'family'))))
                    yield ': '
                    yield escape(environment.finalize(environment.getattr(l_3_row, 'summary')))
                    for (l_4_name, l_4_value) in context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'security_details'), l_3_row, _loop_vars=_loop_vars):
                        _loop_vars = {}
                        pass
                        yield '<span class="field"><span class="muted">'
                        yield escape(environment.finalize(l_4_name))
                        yield ':</span> <code>'
                        yield escape(environment.finalize(l_4_value))
                        yield '</code></span>'
                    l_4_name = l_4_value = missing
                    yield '</li>\n'
                l_3_row = l_3_key = missing
                def t_9(fiter):
                    for l_3_f in fiter:
                        if (not context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'told_by'), l_3_f, environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'rows'))):
                            yield l_3_f
                for l_3_f in t_9(environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'errors')):
                    _loop_vars = {}
                    pass
                    yield '<li>'
                    yield escape(environment.finalize(context.call((undefined(name='finding') if l_0_finding is missing else l_0_finding), l_3_f, False, _loop_vars=_loop_vars)))
                    yield '</li>\n'
                l_3_f = missing
                for l_3_f in environment.getattr((undefined(name='item') if l_2_item is missing else l_2_item), 'findings'):
                    _loop_vars = {}
                    pass
                    yield '<li>'
                    yield escape(environment.finalize(context.call((undefined(name='finding') if l_0_finding is missing else l_0_finding), l_3_f, False, _loop_vars=_loop_vars)))
                    yield '</li>\n'
                l_3_f = missing
                yield '</ul>\n'
            for l_3_why in context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'resource_reasons'), l_2_rd, _loop_vars=_loop_vars):
                _loop_vars = {}
                pass
                yield '<p class="why">'
                yield escape(environment.finalize(l_3_why))
                yield '</p>\n'
            l_3_why = missing
            if (environment.getattr(l_2_rd, 'action') == 'remove'):
                pass
                yield '<p class="why">'
                if environment.getattr(l_2_rd, 'goes_with'):
                    pass
                    yield 'It goes with '
                    yield escape(environment.finalize(environment.getattr(l_2_rd, 'goes_with')))
                    yield ', which the change deletes: its DeletionPolicy Retain keeps nothing.'
                elif environment.getattr(l_2_rd, 'retained'):
                    pass
                    yield 'Its DeletionPolicy Retain leaves it in the account, outside the stack: orphaned, not deleted.'
                elif (environment.getattr(l_2_rd, 'changeset') and (environment.getattr(environment.getattr(l_2_rd, 'changeset'), 'PolicyAction') in ('Delete', 'Snapshot'))):
                    pass
                    yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'removal'), l_2_rd, _loop_vars=_loop_vars)))
                    yield '.'
                else:
                    pass
                    yield 'CloudFormation deletes it with the update, unless its DeletionPolicy keeps it.'
                yield '</p>\n'
            elif (environment.getattr(l_2_rd, 'action') == 'import'):
                pass
                yield '<p class="why">The update brings the existing resource under the stack\'s management: nothing is created.</p>\n'
            elif (environment.getattr(l_2_rd, 'action') == 'add'):
                pass
                yield '<p class="why">CloudFormation creates it with the update'
                if environment.getattr(l_2_rd, 'properties'):
                    pass
                    yield ', with '
                    yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'plural'), t_1(environment.getattr(l_2_rd, 'properties')), 'property', 'properties', _loop_vars=_loop_vars)))
                elif environment.getattr(l_2_rd, 'unstated'):
                    pass
                    yield '; its properties are not in the change set'
                yield '.</p>\n'
                if environment.getattr(l_2_rd, 'properties'):
                    pass
                    yield '<table class="changes props">\n<thead><tr><th>property</th><th>value</th></tr></thead>\n<tbody>\n'
                    for (l_3_key, l_3_value) in context.call(environment.getattr(environment.getattr(l_2_rd, 'properties'), 'items'), _loop_vars=_loop_vars):
                        _loop_vars = {}
                        pass
                        yield '<tr data-l="added" data-p="/properties/'
                        yield escape(environment.finalize(t_2(l_3_key)))
                        yield '"><td class="path"><code>'
                        yield escape(environment.finalize(l_3_key))
                        yield '</code></td><td class="v"><pre>'
                        yield escape(environment.finalize(context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'full_value'), l_3_value, _loop_vars=_loop_vars)))
                        yield '</pre></td></tr>\n'
                    l_3_key = l_3_value = missing
                    yield '</tbody>\n</table>\n'
            if environment.getattr(l_2_rd, 'changes'):
                pass
                yield '<table class="changes">\n<thead><tr><th>label</th><th>path</th><th>before</th><th>after</th></tr></thead>\n<tbody>\n'
                for l_3_c in environment.getattr(l_2_rd, 'changes'):
                    l_3_differ = resolve('differ')
                    l_3_why = l_3_key = missing
                    _loop_vars = {}
                    pass
                    l_3_why = context.call(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'reasons'), l_3_c, differ=(undefined(name='differ') if l_3_differ is missing else l_3_differ), _loop_vars=_loop_vars)
                    _loop_vars['why'] = l_3_why
                    l_3_key = ('ignored' if (environment.getattr(l_2_rd, 'ignored') or environment.getattr(l_3_c, 'ignored')) else environment.getattr(l_3_c, 'impact'))
                    _loop_vars['key'] = l_3_key
                    yield '<tr data-l="'
                    yield escape(environment.finalize((undefined(name='key') if l_3_key is missing else l_3_key)))
                    yield '" data-p="'
                    yield escape(environment.finalize(t_2(environment.getattr(l_3_c, 'path'))))
                    yield '">\n<td><span class="label l-'
                    yield escape(environment.finalize((undefined(name='key') if l_3_key is missing else l_3_key)))
                    yield '">'
                    yield escape(environment.finalize(environment.getattr(l_3_c, 'impact')))
                    yield '</span></td>\n<td class="path"><code>'
                    yield escape(environment.finalize((t_4(environment.getattr(l_3_c, 'path')) if environment.getattr(l_3_c, 'path') else '(whole resource)')))
                    yield '</code>'
                    if (undefined(name='why') if l_3_why is missing else l_3_why):
                        pass
                        yield '<ul class="why">'
                        for l_4_w in (undefined(name='why') if l_3_why is missing else l_3_why):
                            _loop_vars = {}
                            pass
                            yield '<li>'
                            yield escape(environment.finalize(l_4_w))
                            yield '</li>'
                        l_4_w = missing
                        yield '</ul>'
                    yield '</td>\n'
                    yield escape(environment.finalize(context.call((undefined(name='values') if l_0_values is missing else l_0_values), environment.getattr(l_3_c, 'before'), environment.getattr(l_3_c, 'after'), _loop_vars=_loop_vars)))
                    yield '\n</tr>\n'
                l_3_c = l_3_differ = l_3_why = l_3_key = missing
                yield '</tbody>\n</table>\n'
            yield '</details>\n'
        l_2_rd = l_2_word = l_2_item = l_2_anchor = l_2_keys = l_2_search = missing
        yield '</section>\n'
    l_1_loop = l_1_stack = l_1_s = l_1_access = l_1_views = l_1_sv = missing
    yield '<p id="empty" class="muted" hidden>No resource matches these filters.</p>\n</main>\n\n'
    if (undefined(name='kinds') if l_0_kinds is missing else l_0_kinds):
        pass
        yield '<section class="explained" aria-label="What the findings mean">\n<details>\n<summary><h2>What the findings mean</h2></summary>\n<ul>\n'
        for (l_1_id, l_1_help) in (undefined(name='kinds') if l_0_kinds is missing else l_0_kinds):
            _loop_vars = {}
            pass
            yield '<li><code>'
            yield escape(environment.finalize(l_1_id))
            yield '</code>: '
            yield escape(environment.finalize(l_1_help))
            yield '</li>\n'
        l_1_id = l_1_help = missing
        yield '</ul>\n</details>\n</section>\n'
    yield '<script>'
    yield escape(environment.finalize(t_3((undefined(name='js') if l_0_js is missing else l_0_js))))
    yield '</script>\n</body>\n</html>\n'

blocks = {}
debug_info = '6=53&7=61&8=65&10=110&11=145&12=176&13=187&14=195&15=205&16=209&17=216&18=244&19=252&20=262&21=271&22=287&28=306&31=308&32=312&36=314&37=318&38=322&41=330&45=333&46=335&48=353&49=357&57=390&59=393&60=400&61=403&63=411&64=415&71=422&74=425&77=427&78=431&88=450&89=454&93=468&94=472&104=484&105=489&106=491&107=494&108=496&109=500&110=506&111=510&113=519&114=523&116=526&119=529&120=531&122=534&123=538&127=542&128=545&129=549&133=551&134=555&140=565&141=572&142=574&143=577&144=589&145=633&146=636&148=638&150=641&151=645&152=648&154=666&155=674&157=677&158=681&162=685&163=689&165=692&166=695&167=711&169=714&170=717&171=725&175=728&176=732&182=740&186=743&187=748&188=750&189=753&190=757&191=761&192=775&205=784&210=787&211=791&217=798'
"""{% kbcache "name" part… %}…{% endkbcache %}: a fragment cached per variant and content version."""

from django import template

from kb.cache import cached_fragment

register = template.Library()


@register.tag("kbcache")
def do_kbcache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('kbcache needs a fragment name: {% kbcache "name" %}')
    nodelist = parser.parse(("endkbcache",))
    parser.delete_first_token()
    return KbCacheNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )


class KbCacheNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        name = str(self.name.resolve(context))
        parts = [part.resolve(context) for part in self.parts]
        return cached_fragment(
            name,
            *parts,
            render=lambda: self.nodelist.render(context),
            request=context.get("request"),
        )

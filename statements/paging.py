"""Pages of a list: the page a reader asked for, and a count that stops at a cap.

Used by the HTML pages and, through ``CappedPaginator``, by the API's statement lists.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.functional import cached_property

# Lists longer than this say "1,000+": counting every match of a common word is the cost.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator that counts at most ``cap + 1`` rows.

    A longer list has ``count == cap`` and ``capped`` true: the pages show "1,000+" and run
    to the cap, and the reader narrows the list (a filter, another word) to see further.
    """

    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def counted(self):
        rows = self.object_list
        if hasattr(rows, "order_by"):
            # Neither the order nor the columns (a rank) change a count: leave them out.
            return rows.order_by().values("pk")[: self.cap + 1].count()
        return len(rows[: self.cap + 1])

    @property
    def capped(self):
        return self.counted > self.cap

    @cached_property
    def count(self):
        return min(self.counted, self.cap)


def paginate(request, queryset, per_page, paginator_class=Paginator):
    """The requested page, or a 404 that says what is wrong with the page number."""
    paginator = paginator_class(queryset, per_page)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except PageNotAnInteger as error:
        raise Http404(f"“{number}” is not a page number.") from error
    except EmptyPage as error:
        if paginator.num_pages <= 1:
            raise Http404(f"There is no page {number}: this list has only one page.") from error
        raise Http404(
            f"There is no page {number}: the pages run from 1 to {paginator.num_pages}."
        ) from error

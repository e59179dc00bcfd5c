"""Indexes for the corpus-wide statement filter at a million statements.

``?source=…&kind=…&published_after=…&published_before=…`` is answered from
three indexes alone (BENCHMARKS.md, Scale): the matching attributions'
statement ids, the documents of the date range, and those documents' statement
ids. Each replaces an index it starts with, which writes would otherwise keep
up for nothing: (source, kind), (published_at), and the statement's document.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0007_statement_rules_per_command'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='attribution',
            name='claims_attr_source__505e32_idx',
        ),
        migrations.RemoveIndex(
            model_name='document',
            name='claims_docu_publish_fcf2bb_idx',
        ),
        migrations.AlterField(
            model_name='statement',
            name='document',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='statements', to='claims.document'),
        ),
        migrations.AddIndex(
            model_name='attribution',
            index=models.Index(fields=['source', 'kind', 'statement', 'status'], name='attribution_source_statement'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['published_at', 'id'], name='document_published_id'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['document', 'id'], name='statement_document_id'),
        ),
    ]

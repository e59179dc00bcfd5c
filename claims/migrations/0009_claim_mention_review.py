"""Mentions are reviewed like attributions; claims only suggestions name are proposed.

A claim mention gets ``reviewed_by``, ``reviewed_at``, a version and a history;
a claim gets ``proposed``. Claims stored before, which nobody made (no
``created_by``), no review judges, no note is on, and which only untouched
suggestions mention, are marked proposed, as suggestions now create them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_proposed_claims(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimMention = apps.get_model("claims", "ClaimMention")
    ClaimReview = apps.get_model("claims", "ClaimReview")
    Annotation = apps.get_model("claims", "Annotation")
    mentions = ClaimMention.objects.filter(claim=OuterRef("pk"))
    Claim.objects.filter(created_by__isnull=True, status="new").filter(
        Exists(mentions.filter(origin="suggested", status="suggested")),
        ~Exists(mentions.exclude(origin="suggested", status="suggested")),
        ~Exists(ClaimReview.objects.filter(claim=OuterRef("pk"))),
        ~Exists(Annotation.objects.filter(claim=OuterRef("pk"))),
    ).update(proposed=True)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0008_scale_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalClaimMention',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('origin', models.CharField(choices=[('manual', 'Manual'), ('suggested', 'Suggested'), ('imported', 'Imported')], max_length=10)),
                ('status', models.CharField(choices=[('suggested', 'Suggested'), ('accepted', 'Accepted'), ('rejected', 'Rejected')], max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical claim mention',
                'verbose_name_plural': 'historical claim mentions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='claim',
            name='proposed',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='claimmention',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='claimmention',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='claimmention',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='proposed',
            field=models.BooleanField(default=False),
        ),
        migrations.AddConstraint(
            model_name='claimmention',
            constraint=models.CheckConstraint(condition=models.Q(('reviewed_by__isnull', True), ('reviewed_at__isnull', False), _connector='OR'), name='claim_mention_reviewed_has_date', violation_error_message='A reviewed mention has a review date.'),
        ),
        migrations.AddField(
            model_name='historicalclaimmention',
            name='claim',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.claim'),
        ),
        migrations.AddField(
            model_name='historicalclaimmention',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalclaimmention',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalclaimmention',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalclaimmention',
            name='statement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.statement'),
        ),
        migrations.RunPython(mark_proposed_claims, migrations.RunPython.noop),
    ]
